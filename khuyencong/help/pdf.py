"""A role's guide as PDF (WeasyPrint, as the official documents are rendered), in the reader's language,
with its screenshots embedded from the static folder."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from khuyencong.core.pdf import serif_family

from .guide import RoleGuide
from .shots import screenshot_file


def guide_pdf(role: RoleGuide, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        sections = []
        for task in role.tasks:
            path = screenshot_file(role, task, language)
            sections.append({"task": task, "shot": path.as_uri() if path else None})
        html = render_to_string(
            "help/role_pdf.html",
            {"role": role, "sections": sections, "serif": serif_family(), "lang": language},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
