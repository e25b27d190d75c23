"""Every write to the registry: one function per user action, one transaction each, permission checked."""

from io import BytesIO

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions, scoping
from khuyencong.core.concurrency import check_version
from khuyencong.core.services import apply_fields
from khuyencong.core.text import fold
from khuyencong.core.uploads import clean_image

from .models import (
    Artisan,
    CraftVillage,
    Establishment,
    EstablishmentDocument,
    OcopRating,
    Product,
    ProductCertification,
    ProductPhoto,
)

ESTABLISHMENT_FIELDS = [
    "code",
    "name",
    "kind",
    "tax_code",
    "industry",
    "province",
    "commune",
    "legacy_province",
    "legacy_district",
    "address",
    "phone",
    "email",
    "website",
    "representative",
    "workers",
    "founded",
    "description",
    "markets",
    # priority of Decree 235/2025/NĐ-CP: recorded by an officer, with its evidence
    "women_owned",
    "ethnic_minority_owned",
    "disadvantaged_commune",
    "priority_evidence",
]
# What a representative may change on their own public profile; certified facts go through an officer.
SELF_SERVICE_FIELDS = ["address", "phone", "email", "website", "description", "markets", "workers"]
PRODUCT_FIELDS = ["code", "establishment", "name", "group", "description", "is_set", "photo"]


def _check_tax_code_free(tax_code: str | None, exclude_pk=None) -> None:
    if not tax_code:
        return
    other = Establishment.objects.filter(tax_code=tax_code).exclude(pk=exclude_pk).first()
    if other:
        raise ValidationError(
            {
                "tax_code": _("Tax code %(tax)s is already registered to “%(name)s” (code %(code)s).")
                % {"tax": tax_code, "name": other.name, "code": other.code}
            }
        )


def _check_code_free(model, code: str, exclude_pk=None) -> None:
    other = model.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if other:
        raise ValidationError(
            {"code": _("Code %(code)s is already used by “%(name)s”.") % {"code": code, "name": other.name}}
        )


def _check_product_name_free(product: Product) -> None:
    """The same product twice in one establishment: its name, accents, case and spacing aside."""
    if not product.establishment_id or not product.name:
        return
    folded = fold(product.name)
    others = (
        Product.objects.filter(establishment_id=product.establishment_id, archived_at__isnull=True)
        .exclude(pk=product.pk)
        .only("pk", "code", "name")
    )
    other = next((p for p in others if fold(p.name) == folded), None)
    if other is not None:
        raise ValidationError(
            {
                "name": _("“%(name)s” is already registered for this establishment (product %(code)s).")
                % {"name": other.name, "code": other.code}
            }
        )


@transaction.atomic
def create_establishment(*, user, data: dict) -> Establishment:
    establishment = Establishment()
    apply_fields(establishment, data, ESTABLISHMENT_FIELDS, empty_as_null=("tax_code",))
    if not scoping.can_edit_place(user, establishment.province_id, establishment.commune_id):
        raise PermissionDenied(_("You may not register establishments in this place."))
    _check_code_free(Establishment, establishment.code)
    _check_tax_code_free(establishment.tax_code)
    establishment.full_clean()
    with set_actor(user):
        establishment.save()
    return establishment


@transaction.atomic
def update_establishment(*, user, establishment: Establishment, data: dict) -> Establishment:
    establishment = Establishment.objects.select_for_update().get(pk=establishment.pk)
    check_version(establishment, data.get("version"))
    is_rep = permissions.acts_for(user, establishment)
    if is_rep:
        fields = SELF_SERVICE_FIELDS
    elif scoping.can_edit_place(user, establishment.province_id, establishment.commune_id):
        fields = ESTABLISHMENT_FIELDS
    else:
        raise PermissionDenied(_("You may not change this establishment."))
    if establishment.is_archived:
        raise ValidationError(_("An archived establishment cannot be changed."))
    apply_fields(establishment, data, fields, empty_as_null=("tax_code",))
    if not is_rep and not scoping.can_edit_place(user, establishment.province_id, establishment.commune_id):
        raise PermissionDenied(_("You may not move an establishment outside your place."))
    _check_code_free(Establishment, establishment.code, establishment.pk)
    _check_tax_code_free(establishment.tax_code, establishment.pk)
    establishment.full_clean()
    with set_actor(user):
        establishment.save()
    return establishment


@transaction.atomic
def archive_establishment(*, user, establishment: Establishment) -> Establishment:
    if not scoping.can_edit_place(user, establishment.province_id, establishment.commune_id):
        raise PermissionDenied(_("You may not archive this establishment."))
    establishment.mark_archived(user)
    with set_actor(user):
        establishment.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return establishment


@transaction.atomic
def restore_establishment(*, user, establishment: Establishment) -> Establishment:
    if not scoping.can_edit_place(user, establishment.province_id, establishment.commune_id):
        raise PermissionDenied(_("You may not restore this establishment."))
    establishment.archived_at = None
    establishment.archived_by = None
    with set_actor(user):
        establishment.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return establishment


def make_thumbnail(image_field, size=(480, 480)) -> ContentFile | None:
    """A small JPEG for lists and the catalogue, so pages stay light on a slow phone connection."""
    from PIL import Image, ImageOps

    try:
        image_field.open("rb")
        with Image.open(image_field) as img:
            img = ImageOps.exif_transpose(img)
            img.thumbnail(size)
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            buffer = BytesIO()
            img.save(buffer, format="JPEG", quality=80, optimize=True)
    except Exception as exc:  # Pillow raises many kinds for a broken image
        raise ValidationError({"photo": _("The image could not be read: %(err)s") % {"err": exc}}) from exc
    return ContentFile(buffer.getvalue(), name="thumb.jpg")


@transaction.atomic
def create_product(*, user, data: dict) -> Product:
    product = Product()
    photo = data.get("photo")
    if photo:
        data = {**data, "photo": clean_image(photo)}
    apply_fields(product, data, PRODUCT_FIELDS, empty_as_null=("tax_code",))
    if not product.establishment_id or not permissions.can_edit_product(user, product.establishment):
        raise PermissionDenied(_("You may not register products for this establishment."))
    _check_code_free(Product, product.code)
    _check_product_name_free(product)
    product.full_clean()
    with set_actor(user):
        product.save()
        if product.photo:
            product.thumbnail.save("thumb.jpg", make_thumbnail(product.photo), save=False)
            product.save(update_fields=["thumbnail"])
    return product


@transaction.atomic
def update_product(*, user, product: Product, data: dict) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    check_version(product, data.get("version"))
    if not permissions.can_edit_product(user, product.establishment):
        raise PermissionDenied(_("You may not change this product."))
    if product.is_archived:
        raise ValidationError(_("An archived product cannot be changed."))
    fields = PRODUCT_FIELDS
    if not permissions.can_edit_certified_facts(user, product.establishment):
        # certified facts (name, group, code) go through an officer
        fields = ["description", "photo"]
    photo = data.get("photo")
    if photo and photo != product.photo:
        data = {**data, "photo": clean_image(photo)}
    old_establishment = product.establishment
    changes = apply_fields(product, data, fields, empty_as_null=("tax_code",))
    if "establishment" in changes and not permissions.can_edit_product(user, product.establishment):
        product.establishment = old_establishment
        raise PermissionDenied(_("You may not move a product to that establishment."))
    _check_code_free(Product, product.code, product.pk)
    if {"name", "establishment"} & set(changes):
        _check_product_name_free(product)
    product.full_clean()
    with set_actor(user):
        product.save()
        if "photo" in changes and product.photo:
            product.thumbnail.save("thumb.jpg", make_thumbnail(product.photo), save=False)
            product.save(update_fields=["thumbnail"])
    return product


@transaction.atomic
def adopt_photo(*, user, product: Product, document) -> bool:
    """A product without a photo takes the photo of its certified dossier (a private document until then),
    re-encoded and thumbnailed, so the public catalogue shows it rather than a placeholder. The caller has
    checked its own permission (recording the decision); a product that has a photo keeps it."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.photo or document is None:
        return False
    with document.file.open("rb") as handle:
        upload = ContentFile(handle.read(), name=document.original_name or "photo.jpg")
    try:
        image = clean_image(upload)
    except ValidationError:
        return False  # not a JPEG or PNG picture, or a broken one: it stays in the dossier only
    with set_actor(user):
        product.photo.save(image.name, image, save=False)
        product.thumbnail.save("thumb.jpg", make_thumbnail(product.photo), save=False)
        product.save(update_fields=["photo", "thumbnail", "updated_at"])
    return True


@transaction.atomic
def archive_product(*, user, product: Product) -> Product:
    if not permissions.can_edit_certified_facts(user, product.establishment):
        raise PermissionDenied(_("You may not archive this product."))
    product.mark_archived(user)
    with set_actor(user):
        product.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return product


@transaction.atomic
def add_product_photo(*, user, product: Product, image, caption: str = "") -> ProductPhoto:
    if not permissions.can_edit_product(user, product.establishment):
        raise PermissionDenied(_("You may not add photos to this product."))
    try:
        image = clean_image(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    photo = ProductPhoto(product=product, image=image, caption=caption.strip())
    with set_actor(user):
        photo.save()
        photo.thumbnail.save("thumb.jpg", make_thumbnail(photo.image), save=True)
    return photo


@transaction.atomic
def add_certification(*, user, product: Product, data: dict) -> ProductCertification:
    if not permissions.can_edit_certified_facts(user, product.establishment):
        raise PermissionDenied(_("Only an officer records a product's certifications."))
    cert = ProductCertification(product=product)
    apply_fields(
        cert,
        data,
        ["kind", "name", "stars", "number", "issuer", "valid_from", "valid_until"],
        empty_as_null=("tax_code",),
    )
    cert.full_clean()
    with set_actor(user):
        cert.save()
    return cert


# --- beneficiaries of Decree 235/2025/NĐ-CP: craft villages and artisans ----------------------

CRAFT_VILLAGE_FIELDS = [
    "code",
    "name",
    "trade",
    "recognition_no",
    "recognition_date",
    "recognised_by",
    "households",
    "workers",
    "province",
    "commune",
    "address",
    "description",
]
ARTISAN_FIELDS = [
    "code",
    "name",
    "title",
    "title_year",
    "trade",
    "birth_year",
    "establishment",
    "craft_village",
    "province",
    "commune",
    "description",
]


def beneficiary_link_errors(record, *, establishments=(), establishment=None, craft_village=None) -> dict:
    """The links' own rule, as the forms, the API and the import apply it: the establishments a craft village
    holds, and an artisan's establishment and craft village, lie in the record's province. (Anything with `name`
    and `province_id` will do, so the import checks its rows without a query each.)"""
    errors = {}

    def elsewhere(names):
        return _("%(names)s not in %(province)s.") % {"names": ", ".join(names), "province": record.province}

    names = [e.name for e in establishments if e.province_id != record.province_id]
    if names:
        errors["establishments"] = elsewhere(names)
    if establishment is not None and establishment.province_id != record.province_id:
        errors["establishment"] = elsewhere([establishment.name])
    if craft_village is not None and craft_village.province_id != record.province_id:
        errors["craft_village"] = elsewhere([craft_village.name])
    return errors


def _linked_establishments(user, record, establishments) -> list:
    """The establishments a record is linked to must be readable by the user and in the record's province."""
    from .selectors import visible_establishments

    ids = [getattr(e, "pk", e) for e in establishments or []]
    found = list(visible_establishments(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"establishments": _("Some of the establishments are not yours to link.")})
    errors = beneficiary_link_errors(record, establishments=found)
    if errors:
        raise ValidationError(errors)
    return found


def _save_beneficiary(user, record, data, fields, *, creating: bool):
    apply_fields(record, data, fields)
    if record.commune_id and not record.province_id:
        record.province_id = record.commune.province_id
    if not permissions.can_edit_beneficiary(user, record):
        raise PermissionDenied(_("You may not record this in this place."))
    _check_code_free(type(record), record.code, None if creating else record.pk)
    record.full_clean()


@transaction.atomic
def create_craft_village(*, user, data: dict) -> CraftVillage:
    """An officer records a craft village the province recognised, and the establishments in it."""
    village = CraftVillage()
    _save_beneficiary(user, village, data, CRAFT_VILLAGE_FIELDS, creating=True)
    linked = _linked_establishments(user, village, data.get("establishments"))
    with set_actor(user):
        village.save()
        village.establishments.set(linked)
    return village


@transaction.atomic
def update_craft_village(*, user, village: CraftVillage, data: dict) -> CraftVillage:
    village = CraftVillage.objects.select_for_update().get(pk=village.pk)
    check_version(village, data.get("version"))
    if not permissions.can_edit_beneficiary(user, village):
        raise PermissionDenied(_("You may not change this craft village."))
    if village.is_archived:
        raise ValidationError(_("An archived record cannot be changed."))
    _save_beneficiary(user, village, data, CRAFT_VILLAGE_FIELDS, creating=False)
    with set_actor(user):
        village.save()
        if "establishments" in data:
            village.establishments.set(_linked_establishments(user, village, data["establishments"]))
    return village


def _check_artisan_links(user, artisan: Artisan) -> None:
    errors = {}
    est = None
    if artisan.establishment_id:
        from .selectors import visible_establishments

        est = visible_establishments(user).filter(pk=artisan.establishment_id).first()
        if est is None:
            errors["establishment"] = _("This establishment is not yours to link.")
    village = artisan.craft_village if artisan.craft_village_id else None
    errors = beneficiary_link_errors(artisan, establishment=est, craft_village=village) | errors
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_artisan(*, user, data: dict) -> Artisan:
    """An officer records a folk or outstanding artisan, linked to their establishment or craft village."""
    artisan = Artisan()
    _save_beneficiary(user, artisan, data, ARTISAN_FIELDS, creating=True)
    _check_artisan_links(user, artisan)
    with set_actor(user):
        artisan.save()
    return artisan


@transaction.atomic
def update_artisan(*, user, artisan: Artisan, data: dict) -> Artisan:
    artisan = Artisan.objects.select_for_update().get(pk=artisan.pk)
    check_version(artisan, data.get("version"))
    if not permissions.can_edit_beneficiary(user, artisan):
        raise PermissionDenied(_("You may not change this artisan."))
    if artisan.is_archived:
        raise ValidationError(_("An archived record cannot be changed."))
    _save_beneficiary(user, artisan, data, ARTISAN_FIELDS, creating=False)
    _check_artisan_links(user, artisan)
    with set_actor(user):
        artisan.save()
    return artisan


@transaction.atomic
def archive_beneficiary(*, user, record):
    """Archive a craft village or an artisan (never deleted: projects may name them)."""
    if not permissions.can_edit_beneficiary(user, record):
        raise PermissionDenied(_("You may not archive this record."))
    record.mark_archived(user)
    with set_actor(user):
        record.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return record


@transaction.atomic
def restore_beneficiary(*, user, record):
    if not permissions.can_edit_beneficiary(user, record):
        raise PermissionDenied(_("You may not restore this record."))
    record.archived_at = None
    record.archived_by = None
    with set_actor(user):
        record.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return record


# --- evidence of the priority flags ---------------------------------------------------------


@transaction.atomic
def add_evidence(*, user, establishment: Establishment, upload, note: str = "") -> EstablishmentDocument:
    """Attach a private document showing the establishment's priority (women-/ethnic-minority-owned,
    disadvantaged commune); officers of its place only."""
    from khuyencong.core.uploads import validate_upload

    if not scoping.can_edit_place(user, establishment.province_id, establishment.commune_id) or not (
        scoping.is_staff_role(user)
    ):
        raise PermissionDenied(_("You may not attach documents to this establishment."))
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    doc = EstablishmentDocument(establishment=establishment, note=(note or "").strip())
    doc.full_clean(exclude=["file"])
    with set_actor(user):
        doc.attach(upload, user)
        doc.save()
    return doc


@transaction.atomic
def archive_evidence(*, user, document: EstablishmentDocument) -> EstablishmentDocument:
    est = document.establishment
    if not scoping.can_edit_place(user, est.province_id, est.commune_id) or not scoping.is_staff_role(user):
        raise PermissionDenied(_("You may not remove this document."))
    document.mark_archived(user)
    with set_actor(user):
        document.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return document


# --- OCOP ratings ------------------------------------------------------------------------------------

OCOP_FIELDS = ["stars", "level", "score", "decision_no", "decision_date", "valid_until"]


def ocop_validity_months() -> int:
    """A rating holds 36 months from its decision (Decision 148/QĐ-TTg); the setting changes it."""
    from django.conf import settings

    return int(getattr(settings, "OCOP_VALIDITY_MONTHS", 36))


def ocop_notice_days() -> int:
    """The holder is told at least 30 days before the rating expires; the setting changes it."""
    from django.conf import settings

    return int(getattr(settings, "OCOP_EXPIRY_NOTICE_DAYS", 30))


def ocop_rating_errors(
    *, stars, level, score, decision_no, decision_date, valid_until, today=None
) -> dict[str, str]:
    """The rules of an OCOP rating, whoever records it (the product page, the API, an import), without the database.

    `level` and `valid_until` may be left empty: they follow from the stars and the decision date.
    """
    from decimal import Decimal

    from khuyencong.core.months import add_months

    from .models import OCOP_STAR_FLOORS, ocop_level_for

    errors = {}
    today = today or timezone.localdate()
    if stars is None or not (1 <= int(stars) <= 5):
        errors["stars"] = _("OCOP stars are 1 to 5.")
    elif level and level != ocop_level_for(int(stars)):
        errors["level"] = (
            _("5-star products are rated by the central level.")
            if int(stars) == 5
            else _("%(n)s-star products are rated by the province.") % {"n": stars}
        )
    if score is not None and stars is not None and "stars" not in errors:
        score = Decimal(str(score))
        floor = OCOP_STAR_FLOORS[int(stars)]
        ceiling = OCOP_STAR_FLOORS.get(int(stars) + 1, 100.01)
        if not (Decimal("0") <= score <= Decimal("100")):
            errors["score"] = _("An OCOP score is between 0 and 100.")
        elif not (floor <= score < ceiling):
            errors["score"] = _("%(score)s points do not give %(n)s stars (from %(floor)s points).") % {
                "score": f"{score:g}".replace(".", ","),
                "n": stars,
                "floor": floor,
            }
    if not (decision_no or "").strip():
        errors["decision_no"] = _("Enter the number of the decision that rated the product.")
    if not decision_date:
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    elif valid_until and valid_until <= decision_date:
        errors["valid_until"] = _("The rating is valid until a date after its decision.")
    elif valid_until and valid_until > add_months(decision_date, ocop_validity_months()):
        errors["valid_until"] = _("An OCOP rating holds at most %(n)s months from its decision.") % {
            "n": ocop_validity_months()
        }
    return errors


def complete_ocop_values(values: dict) -> dict:
    """Fill what follows from the stars and the decision date: the rating level and the end of validity."""
    from khuyencong.core.months import add_months

    from .models import ocop_level_for

    values = dict(values)
    if values.get("stars") and not values.get("level"):
        values["level"] = ocop_level_for(int(values["stars"]))
    if values.get("decision_date") and not values.get("valid_until"):
        values["valid_until"] = add_months(values["decision_date"], ocop_validity_months())
    if isinstance(values.get("decision_no"), str):
        values["decision_no"] = values["decision_no"].strip()
    return values


@transaction.atomic
def record_ocop_rating(*, user, product: Product, data: dict) -> OcopRating:
    """An officer records a product's OCOP rating (the stars, who rated it, the decision); audited."""
    if not permissions.can_edit_certified_facts(user, product.establishment):
        raise PermissionDenied(_("Only an officer of the product's place records its OCOP rating."))
    values = complete_ocop_values({f: data.get(f) for f in OCOP_FIELDS})
    errors = ocop_rating_errors(**values)
    if not errors and OcopRating.objects.filter(product=product, decision_no=values["decision_no"]).exists():
        errors["decision_no"] = _("“%(p)s” already has a rating under decision %(no)s.") % {
            "p": product.name,
            "no": values["decision_no"],
        }
    if errors:
        raise ValidationError(errors)
    rating = OcopRating(product=product, recorded_by=user, **values)
    with set_actor(user):
        rating.save()
    return rating


def send_ocop_expiry_reminders(*, today=None, days: int = 3) -> int:  # registered with notifications
    """OCOP ratings expiring within the notice period (not followed by a later rating): the establishment's
    representatives and the province's officers are told once per rating."""
    import datetime

    from django.urls import reverse

    from khuyencong.accounts.selectors import province_officers, representatives_of
    from khuyencong.notifications.models import NotificationKind
    from khuyencong.notifications.services import notify

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=ocop_notice_days())
    sent = 0
    for rating in OcopRating.objects.filter(valid_until__range=(today, horizon)).select_related(
        "product__establishment"
    ):
        product = rating.product
        if OcopRating.objects.filter(product=product, valid_until__gt=rating.valid_until).exists():
            continue  # re-rated already
        users = list(representatives_of(product.establishment))
        users += [u for u in province_officers(product.establishment.province_id) if u not in users]
        sent += notify(
            users,
            kind=NotificationKind.EXPIRY,
            subject=_("OCOP %(stars)s★ of “%(p)s” expires on %(date)s")
            % {"stars": rating.stars, "p": product.name, "date": rating.valid_until.strftime("%d/%m/%Y")},
            body=_(
                "Decision %(no)s of %(date)s. A product not rated again loses its OCOP certificate: "
                "register it for the next rating in time."
            )
            % {"no": rating.decision_no, "date": rating.decision_date.strftime("%d/%m/%Y")},
            url=reverse("registry:product_detail", args=[product.pk]),
            key=f"ocop-expiry-{rating.pk}-{rating.valid_until}",
        )
    return sent
