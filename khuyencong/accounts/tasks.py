"""Mail the accounts app sends, as background tasks enqueued after the request's transaction commits."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task


@task()
def send_password_reset(user_id: int, base_url: str, language: str = "vi") -> bool:
    """Mail a password-reset link to the user.

    The one-time token is made here, in the worker, so it is never stored in the task queue; it is
    invalidated as soon as the password changes or the user logs in.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "reset_url": f"{base_url}{path}", "site_url": base_url}
    with translation.override(language):
        subject = " ".join(render_to_string("accounts/email/password_reset_subject.txt", context).split())
        body = render_to_string("accounts/email/password_reset.txt", context)
    EmailMultiAlternatives(subject, body, to=[user.email]).send()
    return True
