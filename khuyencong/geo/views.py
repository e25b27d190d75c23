from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from khuyencong.core.text import search_terms

from .models import LegacyProvince, Province, Region


@login_required
def province_list(request):
    """Today's provinces by region, with the former provinces each absorbed in 2025."""
    provinces = Province.objects.select_related("region").annotate(
        commune_count=Count("communes", distinct=True)
    )
    legacy = {}
    for lp in LegacyProvince.objects.annotate(district_count=Count("districts")).order_by("short_name"):
        legacy.setdefault(lp.successor_id, []).append(lp)
    regions = []
    for region in Region.objects.all():
        regions.append((region, [(p, legacy.get(p.code, [])) for p in provinces if p.region_id == region.pk]))
    unassigned = [(p, legacy.get(p.code, [])) for p in provinces if p.region_id is None]
    return render(request, "geo/province_list.html", {"regions": regions, "unassigned": unassigned})


@login_required
def province_detail(request, code):
    province = get_object_or_404(Province.objects.select_related("region"), code=code)
    communes = province.communes.order_by("short_name")
    query = request.GET.get("q", "")
    for term in search_terms(query):
        communes = communes.filter(search_text__contains=term)
    legacy = province.legacy_provinces.prefetch_related("districts")
    return render(
        request,
        "geo/province_detail.html",
        {"province": province, "communes": communes, "legacy": legacy, "q": query},
    )
