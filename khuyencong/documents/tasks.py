"""Signing a round's documents in the background worker (django-tasks), after the request's commit."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def sign_round_documents(document_ids: list[int], user_id: int) -> int:
    from .services import sign_documents

    user = get_user_model().objects.filter(pk=user_id).first()
    return sign_documents(document_ids, user)
