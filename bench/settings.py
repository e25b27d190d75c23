"""The project's settings as `make bench` serves them: production mode, plus one bare view to compare with."""

from khuyencong.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
