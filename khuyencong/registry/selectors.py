"""Every scoped or searched read of the registry."""

from django.db.models import Count, QuerySet

from khuyencong.accounts import scoping
from khuyencong.core.filters import apply, folded_search
from khuyencong.core.text import fold

from .filters import EstablishmentFilter, ProductFilter
from .models import Establishment, Product


def visible_establishments(user) -> QuerySet[Establishment]:
    """Establishments the user may read: their place's, or their own."""
    return scoping.scope_by_place(user, Establishment.objects.all())


def visible_products(user) -> QuerySet[Product]:
    return scoping.scope_by_place(
        user,
        Product.objects.all(),
        province_field="establishment__province",
        commune_field="establishment__commune",
        establishment_field="establishment",
    )


def search(queryset: QuerySet, query: str | None) -> QuerySet:
    """Every word of the query, folded, must appear in the record's folded text ("kho muc" finds "Khô mực")."""
    return folded_search(queryset, ("search_text",), query)


def establishment_list(
    user, *, query: str = "", archived: bool = False, **filters
) -> QuerySet[Establishment]:
    """The establishments list of the page, its export and the API; `filters` as `EstablishmentFilter` takes them."""
    qs = visible_establishments(user).select_related("province", "commune")
    return apply(EstablishmentFilter, qs, {"q": query, "archived": archived, **filters})


def with_product_counts(establishments) -> list[Establishment]:
    """The page's establishments with `product_count` (unarchived products), counted for these rows only (never
    annotated over every product before the LIMIT)."""
    establishments = list(establishments)
    counts = dict(
        Product.objects.filter(establishment__in=[e.pk for e in establishments], archived_at__isnull=True)
        .order_by()
        .values_list("establishment_id")
        .annotate(n=Count("pk"))
    )
    for e in establishments:
        e.product_count = counts.get(e.pk, 0)
    return establishments


def product_list(user, *, query: str = "", archived: bool = False, **filters) -> QuerySet[Product]:
    """The products list of the page and the API; `filters` as `ProductFilter` takes them."""
    qs = visible_products(user).select_related("establishment", "establishment__province")
    return apply(ProductFilter, qs, {"q": query, "archived": archived, **filters})


def possible_duplicates(*, name: str, province_id=None, commune_id=None, exclude_pk=None, limit: int = 5):
    """Establishments with a similar name in the same commune (or province when no commune is given).

    Similar: after folding and dropping legal-form words, one name contains the other, or they
    share most of their words. Shown to officers before saving so one household is not registered twice.
    """
    key_words = [w for w in fold(name).split() if w not in _FORM_WORDS]
    if not key_words or not (commune_id or province_id):
        return []
    qs = Establishment.objects.filter(archived_at__isnull=True)
    qs = qs.filter(commune_id=commune_id) if commune_id else qs.filter(province_id=province_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    longest = max(key_words, key=len)
    candidates = qs.filter(search_text__contains=longest).select_related("commune")[:50]
    mine = set(key_words)
    found = []
    for other in candidates:
        theirs = {w for w in fold(other.name).split() if w not in _FORM_WORDS}
        if not theirs:
            continue
        overlap = len(mine & theirs) / min(len(mine), len(theirs))
        if overlap >= 0.6:
            found.append(other)
        if len(found) >= limit:
            break
    return found


_FORM_WORDS = {
    "co",
    "so",
    "cong",
    "ty",
    "tnhh",
    "cp",
    "co phan",
    "hop",
    "tac",
    "xa",
    "htx",
    "to",
    "ho",
    "kinh",
    "doanh",
    "mtv",
    "dntn",
    "doanh nghiep",
    "tu",
    "nhan",
    "san",
    "xuat",
    "thanh",
    "vien",
    "mot",
}


# --- craft villages and artisans ----------------------------------------------------------------


def visible_craft_villages(user) -> QuerySet:
    """Craft villages of the user's place (a representative: those their establishment belongs to)."""
    from .models import CraftVillage

    return scoping.scope_by_place(user, CraftVillage.objects.all(), establishment_field="establishments")


def visible_artisans(user) -> QuerySet:
    from .models import Artisan

    return scoping.scope_by_place(user, Artisan.objects.all(), establishment_field="establishment")


def craft_village_list(user, *, query: str = "", archived: bool = False, **filters) -> QuerySet:
    """The craft villages of the page, its export and the API; `filters` as `CraftVillageFilter` takes them."""
    from .filters import CraftVillageFilter

    qs = visible_craft_villages(user).select_related("province", "commune")
    return apply(CraftVillageFilter, qs, {"q": query, "archived": archived, **filters})


def artisan_list(user, *, query: str = "", archived: bool = False, **filters) -> QuerySet:
    """The artisans of the page, its export and the API; `filters` as `ArtisanFilter` takes them."""
    from .filters import ArtisanFilter

    qs = visible_artisans(user).select_related("province", "commune", "establishment", "craft_village")
    return apply(ArtisanFilter, qs, {"q": query, "archived": archived, **filters})
