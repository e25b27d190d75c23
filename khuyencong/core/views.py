from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from khuyencong.accounts import permissions

from . import health, selectors

# The models holding private documents, by the name their download URLs give them.
PRIVATE_DOCUMENTS = {
    "dossier": "selection.DossierDocument",
    "visit": "selection.Visit",
    "batch_letter": "selection.NominationLetter",
    "project": "programme.ProjectDocument",
    "establishment": "registry.EstablishmentDocument",
}


def home(request):
    """The dashboard: real counts for the user's place; anonymous visitors get the public entry points."""
    context = {"dashboard": selectors.dashboard(request.user) if request.user.is_authenticated else None}
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    """For load balancers and monitors: JSON, 200 when every check passes, 503 naming those that failed.

    No login and no session; it reads nothing of a user's.
    """
    result = health.run_checks()
    return JsonResponse(result, status=503 if result["failed"] else 200)


@login_required
def private_document(request, pk: int, kind: str):
    """The one door to private files: the record's own readers only (others get a 404, not a hint)."""
    document = get_object_or_404(apps.get_model(PRIVATE_DOCUMENTS[kind]), pk=pk)
    if not permissions.may_download(request.user, document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=not document.opens_inline, filename=document.original_name)
