"""Signing the registration report in the background worker (django-tasks), after the request's commit."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def sign_registration_report(report_id: int, user_id: int) -> bool:
    from .services import sign_report

    user = get_user_model().objects.filter(pk=user_id).first()
    return sign_report(report_id, user)
