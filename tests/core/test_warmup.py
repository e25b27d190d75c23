"""A web worker prepares the public pages before its first request (core.warmup, called by khuyencong.wsgi)."""

import logging

from django.template import engines

from khuyencong.core import warmup


def _loader():
    loader = engines["django"].engine.template_loaders[0]
    assert loader.__class__.__name__ == "Loader" and hasattr(
        loader, "get_template_cache"
    )  # the cached loader
    return loader


def test_a_worker_compiles_the_public_templates_before_its_first_request():
    loader = _loader()
    loader.reset()
    assert warmup.warm_up() == list(warmup.PUBLIC_TEMPLATES)
    assert set(warmup.PUBLIC_TEMPLATES) <= set(loader.get_template_cache)


def test_a_failed_warm_up_is_logged_and_the_worker_still_starts(monkeypatch, caplog):
    monkeypatch.setattr(warmup, "PUBLIC_TEMPLATES", ("base.html", "no/such/template.html"))
    with caplog.at_level(logging.ERROR, logger="khuyencong.core.warmup"):
        assert warmup.warm_up() == ["base.html"]
    assert "Warming up the web worker failed" in caplog.text
