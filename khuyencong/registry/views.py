"""Registry pages: thin shells over registry.services and registry.selectors."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions
from khuyencong.core.counts import CachedCountPaginator, cached
from khuyencong.core.forms import flash_form_errors, run_service
from khuyencong.core.selectors import history
from khuyencong.geo.models import Commune
from khuyencong.geo.selectors import legacy_districts_of, legacy_provinces_of

from . import selectors, services
from .forms import (
    CertificationForm,
    EstablishmentFilterForm,
    EstablishmentForm,
    OcopRatingForm,
    PhotoForm,
    ProductFilterForm,
    ProductForm,
)
from .models import Establishment, Product

PAGE_SIZE = 25


@login_required
def establishment_list(request):
    form = EstablishmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.establishment_list(
        request.user,
        query=data.get("q", ""),
        archived=bool(data.get("archived")),
        kind=data.get("kind"),
        province=data.get("province"),
    )
    results = _establishment_results(request, qs.order_by("name", "pk"))
    if request.htmx:
        return HttpResponse(results)
    can_create = permissions.can_create_establishment(request.user)
    return render(
        request,
        "registry/establishment_list.html",
        {"filter_form": form, "results": results, "can_create": can_create},
    )


def _establishment_results(request, qs) -> str:
    """The list's results (how many, the page's rows with their places and product counts, the pages), kept until
    the data changes for everyone asking the same list (its SQL: the reader's scope, search and filters), query
    string and language, like the list's count and page keys: on a whole-country search, reading and rendering the
    rows was most of the page's cost."""

    def render_results() -> str:
        page = CachedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_product_counts(page.object_list)
        return render_to_string("registry/_establishment_rows.html", {"page_obj": page, "request": request})

    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # nothing to read: nothing worth keeping
        return render_results()
    digest = hashlib.sha1(repr((sql, params, request.GET.urlencode())).encode()).hexdigest()
    return mark_safe(
        cached(f"registry-results:{get_language()}:{digest}", render_results)
    )  # our own rendered HTML


def _visible_establishment(request, pk) -> Establishment:
    return get_object_or_404(
        selectors.visible_establishments(request.user).select_related(
            "province", "commune", "legacy_province", "legacy_district"
        ),
        pk=pk,
    )


@login_required
def establishment_detail(request, pk):
    establishment = _visible_establishment(request, pk)
    products = establishment.products.filter(archived_at__isnull=True).order_by("name")
    user = request.user
    return render(
        request,
        "registry/establishment_detail.html",
        {
            "establishment": establishment,
            "products": products,
            "history": history(establishment),
            "can_edit": permissions.can_edit_establishment(user, establishment),
            "can_archive": permissions.can_archive_establishment(user, establishment),
            "is_rep": permissions.acts_for(user, establishment),
        },
    )


@login_required
def establishment_create(request):
    if not permissions.can_create_establishment(request.user):
        raise PermissionDenied
    form = EstablishmentForm(request.POST or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.possible_duplicates(
            name=data["name"],
            province_id=data["province"].pk,
            commune_id=data["commune"].pk if data.get("commune") else None,
        )
        if duplicates and not data.get("confirm_not_duplicate"):
            form.add_error(
                "confirm_not_duplicate",
                _("Possible duplicates found: check them, then tick this box to save anyway."),
            )
        else:
            establishment = run_service(
                request,
                form,
                lambda: services.create_establishment(user=request.user, data=data),
                lambda e: _("Establishment “%(name)s” registered.") % {"name": e.name},
            )
            if establishment:
                return redirect("registry:establishment_detail", pk=establishment.pk)
    return render(request, "registry/establishment_form.html", {"form": form, "duplicates": duplicates})


@login_required
def establishment_edit(request, pk):
    establishment = _visible_establishment(request, pk)
    is_rep = permissions.acts_for(request.user, establishment)
    if not permissions.can_edit_establishment(request.user, establishment):
        raise PermissionDenied
    form = EstablishmentForm(request.POST or None, instance=establishment, user=request.user)
    if is_rep:
        for name, field in form.fields.items():
            if name not in services.SELF_SERVICE_FIELDS:
                field.disabled = True
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.update_establishment(
                user=request.user, establishment=establishment, data=form.cleaned_data
            ),
            _("Changes saved."),
        )
    ):
        return redirect("registry:establishment_detail", pk=pk)
    return render(
        request,
        "registry/establishment_form.html",
        {"form": form, "establishment": establishment, "is_rep": is_rep},
    )


@login_required
@require_POST
def establishment_archive(request, pk):
    establishment = _visible_establishment(request, pk)
    if request.POST.get("restore"):
        services.restore_establishment(user=request.user, establishment=establishment)
        messages.success(request, _("Establishment restored."))
    else:
        services.archive_establishment(user=request.user, establishment=establishment)
        messages.success(request, _("Establishment archived. It stays in reports and history."))
    return redirect("registry:establishment_detail", pk=pk)


@login_required
def duplicates_check(request):
    """htmx: possible duplicates for the name being typed, at the chosen commune (or province)."""
    name = request.GET.get("name", "")
    province = request.GET.get("province") or None
    commune = request.GET.get("commune") or None
    found = (
        selectors.possible_duplicates(
            name=name, province_id=province, commune_id=commune, exclude_pk=request.GET.get("exclude") or None
        )
        if len(name) >= 3
        else []
    )
    found = (
        [e for e in found if selectors.visible_establishments(request.user).filter(pk=e.pk).exists()]
        if found
        else []
    )
    return render(request, "registry/_duplicates.html", {"duplicates": found})


def _options(rows, chosen=None):
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, " selected" if str(pk) == str(chosen) else "", label) for pk, label in rows),
    )
    return HttpResponse(format_html('<option value="">---------</option>{}', options))


@login_required
def legacy_province_options(request):
    """htmx: the <option>s of the former provinces that became part of the chosen province."""
    provinces = legacy_provinces_of(request.GET.get("province"))
    return _options((p.pk, str(p)) for p in provinces)


@login_required
def legacy_district_options(request):
    """htmx: the <option>s of the former districts of the chosen former province (or province)."""
    districts = legacy_districts_of(request.GET.get("province"), request.GET.get("legacy_province"))
    return _options(((d.pk, str(d)) for d in districts), request.GET.get("legacy_district"))


@login_required
def commune_options(request):
    """htmx: the <option>s of the chosen province's communes."""
    province = request.GET.get("province")
    communes = (
        Commune.objects.filter(province_id=province).order_by("short_name")
        if province and province.isdigit()
        else []
    )
    options = format_html_join("", '<option value="{}">{}</option>', ((c.code, c.name) for c in communes))
    return HttpResponse(format_html('<option value="">---------</option>{}', options))


@login_required
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.product_list(
        request.user, query=data.get("q", ""), archived=bool(data.get("archived")), group=data.get("group")
    )
    page = CachedCountPaginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = permissions.can_create_product(request.user)
    return render(
        request,
        "registry/product_list.html",
        {"filter_form": form, "page_obj": page, "can_create": can_create},
    )


def _visible_product(request, pk) -> Product:
    return get_object_or_404(
        selectors.visible_products(request.user).select_related(
            "establishment", "establishment__province", "establishment__commune"
        ),
        pk=pk,
    )


@login_required
def product_detail(request, pk):
    product = _visible_product(request, pk)
    est = product.establishment
    user = request.user
    return render(
        request,
        "registry/product_detail.html",
        {
            "product": product,
            "history": history(product),
            "can_edit": permissions.can_edit_product(user, est),
            "is_rep": permissions.acts_for(user, est),
            "can_officer": permissions.can_edit_certified_facts(user, est),
            "certifications": product.certifications.all(),
            "photos": product.photos.all(),
            "cert_form": CertificationForm(),
            "ocop_ratings": product.ocop_ratings.select_related("recorded_by"),
            "ocop_form": OcopRatingForm(),
            "today": timezone.localdate(),
            "photo_form": PhotoForm(),
        },
    )


@login_required
def product_create(request):
    establishments = selectors.visible_establishments(request.user).filter(archived_at__isnull=True)
    if not permissions.can_create_product(request.user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("establishment"):
        initial["establishment"] = request.GET["establishment"]
    form = ProductForm(
        request.POST or None, request.FILES or None, establishments=establishments, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        product = run_service(
            request,
            form,
            lambda: services.create_product(user=request.user, data=form.cleaned_data),
            lambda p: _("Product “%(name)s” registered.") % {"name": p.name},
        )
        if product:
            return redirect("registry:product_detail", pk=product.pk)
    return render(request, "registry/product_form.html", {"form": form})


@login_required
def product_edit(request, pk):
    product = _visible_product(request, pk)
    establishments = selectors.visible_establishments(request.user).filter(archived_at__isnull=True)
    is_rep = permissions.has_representative_role(request.user)
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        instance=product,
        establishments=establishments,
        self_service=is_rep,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.update_product(user=request.user, product=product, data=form.cleaned_data),
            _("Changes saved."),
        )
    ):
        return redirect("registry:product_detail", pk=pk)
    return render(request, "registry/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_archive(request, pk):
    product = _visible_product(request, pk)
    services.archive_product(user=request.user, product=product)
    messages.success(request, _("Product archived."))
    return redirect("registry:product_detail", pk=pk)


@login_required
@require_POST
def product_add_certification(request, pk):
    product = _visible_product(request, pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.add_certification(user=request.user, product=product, data=form.cleaned_data),
            _("Certification recorded."),
        )
    flash_form_errors(request, form)
    return redirect("registry:product_detail", pk=pk)


@login_required
@require_POST
def product_add_ocop(request, pk):
    product = _visible_product(request, pk)
    form = OcopRatingForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.record_ocop_rating(user=request.user, product=product, data=form.cleaned_data),
            lambda r: (
                _("OCOP rating recorded: %(stars)s stars, valid until %(date)s.")
                % {"stars": r.stars, "date": r.valid_until.strftime("%d/%m/%Y")}
            ),
        )
    flash_form_errors(request, form)
    return redirect(reverse("registry:product_detail", args=[pk]) + "#ocop")


@login_required
@require_POST
def product_add_photo(request, pk):
    product = _visible_product(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.add_product_photo(
                user=request.user,
                product=product,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            ),
            _("Photo added."),
        )
    flash_form_errors(request, form, labels=False)
    return redirect("registry:product_detail", pk=pk)


# --- craft villages and artisans (beneficiaries of Decree 235/2025/NĐ-CP) ----------------------

BENEFICIARY_KINDS = {
    "village": {
        "model": "CraftVillage",
        "list": selectors.craft_village_list,
        "visible": selectors.visible_craft_villages,
        "create": services.create_craft_village,
        "update": lambda *, user, record, data: services.update_craft_village(
            user=user, village=record, data=data
        ),
        "template": "registry/craft_village",
    },
    "artisan": {
        "model": "Artisan",
        "list": selectors.artisan_list,
        "visible": selectors.visible_artisans,
        "create": services.create_artisan,
        "update": lambda *, user, record, data: services.update_artisan(user=user, artisan=record, data=data),
        "template": "registry/artisan",
    },
}


def _beneficiary_form(kind, request, instance=None):
    from .forms import ArtisanForm, CraftVillageForm

    establishments = (
        selectors.visible_establishments(request.user).filter(archived_at__isnull=True).order_by("name")
    )
    if kind == "village":
        return CraftVillageForm(
            request.POST or None, instance=instance, user=request.user, establishments=establishments
        )
    villages = (
        selectors.visible_craft_villages(request.user).filter(archived_at__isnull=True).order_by("name")
    )
    return ArtisanForm(
        request.POST or None,
        instance=instance,
        user=request.user,
        establishments=establishments,
        villages=villages,
    )


@login_required
def beneficiary_list(request, kind):
    from .forms import BeneficiaryFilterForm

    spec = BENEFICIARY_KINDS[kind]
    form = BeneficiaryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {"province": getattr(data.get("province"), "pk", None)}
    if kind == "artisan":
        filters["title"] = data.get("title") or None
    qs = spec["list"](request.user, query=data.get("q", ""), archived=bool(data.get("archived")), **filters)
    page = CachedCountPaginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        f"{spec['template']}_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "kind": kind,
            "can_create": permissions.can_record_beneficiaries(request.user),
        },
    )


def _visible_beneficiary(request, kind, pk):
    return get_object_or_404(
        BENEFICIARY_KINDS[kind]["visible"](request.user).select_related("province", "commune"), pk=pk
    )


@login_required
def beneficiary_detail(request, kind, pk):
    record = _visible_beneficiary(request, kind, pk)
    context = {
        "record": record,
        "kind": kind,
        "can_edit": permissions.can_edit_beneficiary(request.user, record),
        "history": history(record),
        "projects": record.projects.filter(archived_at__isnull=True).order_by("-year", "code"),
    }
    if kind == "village":
        context["establishments"] = selectors.visible_establishments(request.user).filter(
            craft_villages=record, archived_at__isnull=True
        )
        context["artisans"] = record.artisans.filter(archived_at__isnull=True)
    return render(request, f"{BENEFICIARY_KINDS[kind]['template']}_detail.html", context)


@login_required
def beneficiary_create(request, kind):
    if not permissions.can_record_beneficiaries(request.user):
        raise PermissionDenied
    form = _beneficiary_form(kind, request)
    if request.method == "POST" and form.is_valid():
        record = run_service(
            request,
            form,
            lambda: BENEFICIARY_KINDS[kind]["create"](user=request.user, data=dict(form.cleaned_data)),
            lambda r: _("%(name)s recorded.") % {"name": r},
        )
        if record:
            return redirect(f"registry:{kind}_detail", pk=record.pk)
    return render(request, "registry/beneficiary_form.html", {"form": form, "kind": kind})


@login_required
def beneficiary_edit(request, kind, pk):
    record = _visible_beneficiary(request, kind, pk)
    if not permissions.can_edit_beneficiary(request.user, record) or record.is_archived:
        raise PermissionDenied
    form = _beneficiary_form(kind, request, instance=record)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: BENEFICIARY_KINDS[kind]["update"](
                user=request.user, record=record, data=form.cleaned_data
            ),
            _("Changes saved."),
        ):
            return redirect(f"registry:{kind}_detail", pk=pk)
    return render(request, "registry/beneficiary_form.html", {"form": form, "kind": kind, "record": record})


@login_required
@require_POST
def beneficiary_archive(request, kind, pk):
    from khuyencong.core.forms import run_action

    record = _visible_beneficiary(request, kind, pk)
    if request.POST.get("restore"):
        run_action(
            request, lambda: services.restore_beneficiary(user=request.user, record=record), _("Restored.")
        )
    else:
        run_action(
            request,
            lambda: services.archive_beneficiary(user=request.user, record=record),
            _("Archived. It stays in reports and history."),
        )
    return redirect(f"registry:{kind}_detail", pk=pk)


@login_required
@require_POST
def evidence_add(request, pk):
    from khuyencong.core.forms import run_action

    from .forms import EvidenceForm

    establishment = _visible_establishment(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        run_action(
            request,
            lambda: services.add_evidence(
                user=request.user,
                establishment=establishment,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
            _("Document attached."),
            refusals_as_messages=True,
        )
    else:
        flash_form_errors(request, form)
    return redirect("registry:establishment_detail", pk=pk)


@login_required
@require_POST
def evidence_archive(request, pk):
    from khuyencong.core.forms import run_action

    from .models import EstablishmentDocument

    document = get_object_or_404(
        EstablishmentDocument.objects.filter(
            establishment__in=selectors.visible_establishments(request.user)
        ).select_related("establishment"),
        pk=pk,
    )
    run_action(
        request,
        lambda: services.archive_evidence(user=request.user, document=document),
        _("Document removed."),
        refusals_as_messages=True,
    )
    return redirect("registry:establishment_detail", pk=document.establishment_id)
