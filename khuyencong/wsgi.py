import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
application = get_wsgi_application()

from khuyencong.core.warmup import warm_up  # noqa: E402 (Django is set up by now)

warm_up()  # in each worker before its first request (gunicorn imports this module in every worker)
