"""The public catalogue and certificate verification: no login, light pages, cacheable."""

import copy
import hashlib
import re
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.accounts.ratelimits import rate_limited
from khuyencong.core import csrf, exports
from khuyencong.core.links import absolute_url, site_origin
from khuyencong.core.text import fold
from khuyencong.registry.models import GROUP_LABELS_VI, Product
from khuyencong.selection.models import LEVEL_LABELS_VI

from . import selectors
from .forms import CatalogueFilterForm

PAGE_SIZE = 24
PUBLIC_MAX_AGE = 300
VERIFY_MAX_AGE = 60


def public_page(max_age: int):
    """Cache-Control for public pages: shared caches may keep an anonymous visitor's page for `max_age` seconds."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=max_age)
            patch_vary_headers(response, ["Accept-Language"])
            return response

        return wrapper

    return decorator


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# Pages this worker process rendered or fetched from the shared cache, with the catalogue version they belong to:
# a page asked again is served from here, without fetching and unpickling it from the shared cache again.
_LOCAL_PAGES: OrderedDict = OrderedDict()
LOCAL_PAGES_MAX = 200
# the shared cache's entries: (version, status, content type, body split at the token)
PAGE_KEY = "catalogue:pages"


def _remember(key: str, entry: tuple, max_age: int) -> None:
    _LOCAL_PAGES[key] = (
        time.monotonic() + max_age,
        entry,
    )  # kept here max_age seconds at most, like a shared copy
    _LOCAL_PAGES.move_to_end(key)
    while len(_LOCAL_PAGES) > LOCAL_PAGES_MAX:
        _LOCAL_PAGES.popitem(last=False)


def _cacheable_visitor(request) -> bool:
    """An anonymous visitor without a session or pending messages: the page is the same for all of them."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def cached_page(max_age: int, *, shared: bool = True):
    """An anonymous visitor's page kept for `max_age` seconds, or until the catalogue next changes (the page is
    stored with the catalogue version it was rendered at, and served only while that is still the version). The
    page is kept as bytes split where its CSRF token was, and each visitor gets their own token in its place
    (core.csrf). Visitors with a session or pending messages (logged in, or just after a form) are served fresh
    pages.

    A page this worker process already holds is served from its memory while the version (read again from the
    shared cache at most every second, see services.version) is the one it was rendered at. With `shared`, pages
    are also kept in the shared cache for the other processes; without it (the verification page: thousands of
    numbers, each asked rarely, and cheaper to render than to fetch and store) only in the process's memory."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_visitor(request):
                return view(request, *args, **kwargs)
            from .services import version

            path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
            key = f"{PAGE_KEY}:{translation.get_language()}:{path}"
            current = version()
            hit = None
            local = _LOCAL_PAGES.get(key)
            if local is not None and local[0] >= time.monotonic() and local[1][0] == current:
                hit = local[1]
            elif shared:
                hit = cache.get(key)
                if hit is not None and hit[0] != current:
                    hit = None
                if hit is not None:
                    _remember(key, hit, max_age)
            if hit is not None:
                _version, status, content_type, parts = hit
                body = parts[0] if len(parts) == 1 else csrf.get_token(request).encode().join(parts)
                return HttpResponse(body, status=status, content_type=content_type)
            response = view(request, *args, **kwargs)
            if (
                response.status_code in (200, 404)
                and not response.streaming
                and not response.cookies.get(settings.SESSION_COOKIE_NAME)
            ):
                body = response.content
                found = _CSRF_INPUT.search(body)
                parts = tuple(body.split(found.group(1))) if found else (body,)
                entry = (current, response.status_code, response["Content-Type"], parts)
                if shared:
                    cache.set(key, entry, max_age)
                _remember(key, entry, max_age)
            return response

        return wrapper

    return decorator


def _filtered(request):
    form = CatalogueFilterForm(request.GET or None, years=selectors.certification_years())
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.catalogue(
        query=data.get("q") or "",
        province=data.get("province"),
        group=data.get("group") or "",
        level=data.get("level") or "",
        year=data.get("year"),
        ocop_stars=data.get("ocop"),
        sort=data.get("sort") or selectors.DEFAULT_SORT,
    )
    return form, qs


@rate_limited("catalogue")
@public_page(PUBLIC_MAX_AGE)
@cached_page(PUBLIC_MAX_AGE)
def product_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/product_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "level_labels": LEVEL_LABELS_VI,
            "query": request.GET.get("q", ""),
            "export_query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


def place_line(establishment) -> str:
    """Address, commune, province — without repeating a commune or province the typed address already names."""
    parts = [establishment.address.strip()] if establishment.address and establishment.address.strip() else []
    for unit in (establishment.commune, establishment.province):
        name = getattr(unit, "name", "")
        if name and not any(fold(name) in fold(p) for p in parts):
            parts.append(name)
    return ", ".join(parts)


@rate_limited("catalogue")
@public_page(PUBLIC_MAX_AGE)
@cached_page(PUBLIC_MAX_AGE)
def product_detail(request, pk):
    product = selectors.product_page(pk)
    if product is None:
        raise Http404(_("This product is not in the catalogue."))
    user = request.user
    establishment = product.establishment
    is_rep = permissions.acts_for(user, establishment)
    can_edit = permissions.can_edit_establishment(user, establishment)
    certificates = []
    for result in product.certified_results:
        cert = getattr(result, "certificate", None)  # a missing one-to-one raises an AttributeError subclass
        certificates.append(
            {
                "result": result,
                "certificate": cert,
                "status": selectors.certificate_status(cert) if cert else None,
                "key": str(cert.token) if cert else result.certificate_no,
            }
        )
    share_url = absolute_url(reverse("catalogue:product_detail", args=[product.pk]), request)
    return render(
        request,
        "catalogue/product_detail.html",
        {
            "product": product,
            "establishment": establishment,
            "certificates": certificates,
            "place": place_line(establishment),
            "share_url": share_url,
            "is_rep": is_rep,
            "can_edit": can_edit,
            "ocop": product.ocop_ratings.filter(
                decision_date__lte=timezone.localdate(), valid_until__gte=timezone.localdate()
            ).first(),
        },
    )


@rate_limited("verify")
def verify_lookup(request):
    """The form on the verification page: typed number → its page."""
    key = (request.GET.get("key") or "").strip()
    if key:
        return redirect("catalogue:verify", key=key)
    return render(request, "catalogue/verify.html", {"verification": None, "key": "", "asked": False})


# The verification page around its answer, as an anonymous visitor sees it, rendered once per language by each
# worker process: the answer (catalogue/_verification.html), the page's own address (the language switch comes
# back to it) and the visitor's CSRF token are put in for each request. Markers are text that no escaped value
# can contain ("<" is escaped) or that the page itself never holds.
_FRAMES: dict = {}
_FRAME_CARD = "<kc-verification>"
_FRAME_PATH = "/verify/@@kc-page-address@@"
_FRAME_TOKEN = "@@kc-csrf-token@@"


def _verify_frame(request) -> str:
    language = translation.get_language()
    frame = _FRAMES.get(language)
    if frame is None:
        frame_request = copy.copy(request)
        frame_request.path = frame_request.path_info = _FRAME_PATH
        frame_request.META = {**request.META, "QUERY_STRING": ""}
        frame_request.META.pop("CSRF_COOKIE", None)
        page = render_to_string(
            "catalogue/verify.html",
            {"card": mark_safe(_FRAME_CARD)},  # noqa: S308 (a constant marker)
            request=frame_request,
        )
        found = _CSRF_INPUT.search(page.encode())
        frame = _FRAMES[language] = page.replace(found.group(1).decode(), _FRAME_TOKEN) if found else page
    return frame


@rate_limited("verify")
@public_page(VERIFY_MAX_AGE)
@cached_page(VERIFY_MAX_AGE, shared=False)
def verify(request, key):
    verification = selectors.verify(key)
    context = {"verification": verification, "key": key, "asked": True}
    status = 200 if verification else 404
    if not _cacheable_visitor(request):
        return render(request, "catalogue/verify.html", context, status=status)
    # an anonymous visitor: only the answer is rendered, into the page around it (the same for every number)
    card = render_to_string("catalogue/_verification.html", context)
    page = (
        _verify_frame(request)
        .replace(_FRAME_TOKEN, csrf.get_token(request))
        .replace(_FRAME_PATH, escape(request.get_full_path()))
        .replace(_FRAME_CARD, card)
    )
    return HttpResponse(page, status=status)


EXPORT_FIELDS = [
    "code",
    "name",
    "group",
    "group_label",
    "level",
    "level_label",
    "year",
    "establishment",
    "establishment_kind",
    "province_code",
    "province",
    "commune",
    "address",
    "phone",
    "email",
    "website",
    "markets",
    "url",
]


def export_rows(request, qs):
    base = site_origin(request)
    for p in qs:
        e = p.establishment
        yield {
            "code": p.code,
            "name": p.name,
            "group": p.group,
            "group_label": GROUP_LABELS_VI.get(p.group, ""),
            "level": p.cert_level,
            "level_label": LEVEL_LABELS_VI.get(p.cert_level, ""),
            "year": p.cert_year,
            "establishment": e.name,
            "establishment_kind": e.kind,
            "province_code": e.province_id,
            "province": e.province.name,
            "commune": e.commune.name if e.commune_id else "",
            "address": e.address,
            "phone": e.phone,
            "email": e.email,
            "website": e.website,
            "markets": e.markets,
            "url": base + reverse("catalogue:product_detail", args=[p.pk]),
        }


@rate_limited("open_data")
@public_page(PUBLIC_MAX_AGE)
def export_csv(request):
    _form, qs = _filtered(request)
    return exports.csv_response(
        "catalogue.csv", exports.dict_rows(EXPORT_FIELDS, export_rows(request, qs)), header=EXPORT_FIELDS
    )


@rate_limited("open_data")
@public_page(PUBLIC_MAX_AGE)
def export_xlsx(request):
    """The filtered catalogue as a workbook, streamed through the one writer (write-only, plain values)."""
    _form, qs = _filtered(request)
    rows = exports.dict_rows(EXPORT_FIELDS, export_rows(request, qs))
    return exports.xlsx_response("catalogue.xlsx", [exports.Sheet("catalogue", rows, header=EXPORT_FIELDS)])


@rate_limited("open_data")
@public_page(PUBLIC_MAX_AGE)
def export_json(request):
    _form, qs = _filtered(request)
    rows = list(export_rows(request, qs))
    return JsonResponse({"count": len(rows), "products": rows}, json_dumps_params={"ensure_ascii": False})


SUMMARY_FIELDS = ["province_code", "province", "level", "year", "certified_products"]


@rate_limited("open_data")
@public_page(PUBLIC_MAX_AGE)
def summary_csv(request):
    return exports.csv_response(
        "catalogue-summary.csv",
        exports.dict_rows(SUMMARY_FIELDS, selectors.summary_rows()),
        header=SUMMARY_FIELDS,
    )


@rate_limited("open_data")
@public_page(PUBLIC_MAX_AGE)
def summary_json(request):
    return JsonResponse({"rows": selectors.summary_rows()}, json_dumps_params={"ensure_ascii": False})


@login_required
def my_profile(request):
    """An establishment's representative: their public card as buyers see it, and where to change it."""
    user = request.user
    if not permissions.is_representative(user):
        raise PermissionDenied(_("This page is for establishment representatives."))
    establishment = user.establishment
    certified = set(
        selectors.certified_products().filter(establishment=establishment).values_list("pk", flat=True)
    )
    products = Product.objects.filter(establishment=establishment, archived_at__isnull=True).order_by("name")
    return render(
        request,
        "catalogue/my_profile.html",
        {
            "establishment": establishment,
            "products": products,
            "certified": certified,
        },
    )


def open_data(request):
    """What can be downloaded, and how."""
    return render(request, "catalogue/open_data.html", {})
