"""The user guide: the index by role (the reader's own first), a role's page, and the same as PDF."""

from functools import lru_cache

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation

from khuyencong.accounts.selectors import guide_role

from . import guide as content
from .pdf import guide_pdf
from .shots import screenshot_url


def _guide(slug: str) -> content.RoleGuide:
    found = content.guide_for(slug)
    if found is None:
        raise Http404
    return found


def _sections(role: content.RoleGuide) -> list[dict]:
    language = translation.get_language()
    return [{"task": task, "shot": screenshot_url(role, task, language)} for task in role.tasks]


def index(request):
    own = guide_role(request.user)
    guides = content.ordered_for(own)
    return render(request, "help/index.html", {"guides": guides, "own": content.BY_KEY.get(own)})


def role_guide(request, slug):
    role = _guide(slug)
    own = content.BY_KEY.get(guide_role(request.user))
    context = {"role": role, "sections": _sections(role), "own": own, "guides": content.GUIDES}
    return render(request, "help/role.html", context)


@lru_cache(maxsize=2 * len(content.GUIDES))
def _pdf_bytes(slug: str, language: str) -> bytes:
    """The guide and its screenshots change only with a release (a restart): each worker renders a role's PDF
    once per language (a few seconds of WeasyPrint) and hands out the same bytes after that."""
    return guide_pdf(content.BY_SLUG[slug], language)


def role_pdf(request, slug):
    role = _guide(slug)
    data = _pdf_bytes(role.slug, translation.get_language())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="khuyencong-guide-{role.slug}.pdf"'
    return response
