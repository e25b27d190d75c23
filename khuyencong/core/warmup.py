"""What a web worker prepares before its first request (khuyencong.wsgi): the template engine with its tag
libraries, the public pages' templates compiled, the URL patterns' reverse lookup, both languages' translations.

Without it the first page a new worker rendered paid all of that (on the national benchmark's loaded machine,
~1.2 s for the first catalogue page of each gunicorn worker, against ~150 ms for the next); a visitor after every
deployment or worker restart got that wait.
"""

import logging

logger = logging.getLogger(__name__)

PUBLIC_TEMPLATES = (
    "base.html",
    "catalogue/product_list.html",
    "catalogue/product_detail.html",
    "catalogue/verify.html",
    "catalogue/_verification.html",
)
PUBLIC_URLS = ("catalogue:product_list", "catalogue:verify_lookup", "core:home")


def warm_up() -> list[str]:
    """Prepare this process; returns the templates compiled. A failure is logged, never raised: the worker still
    serves (and the same failure shows on the page that needs it)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import translation

    compiled = []
    try:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for name in PUBLIC_URLS:
                    reverse(name)
                translation.gettext("Catalogue")
        for name in PUBLIC_TEMPLATES:
            get_template(name)
            compiled.append(name)
    except Exception:
        logger.exception("Warming up the web worker failed")
    return compiled
