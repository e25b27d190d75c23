from django.urls import path

from khuyencong.core.views import private_document
from khuyencong.notifications import views as notification_views

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/do/<slug:action>/", views.round_action, name="round_action"),
    path("rounds/<int:pk>/council/", views.council, name="council"),
    path("rounds/<int:pk>/register/", views.dossier_create, name="dossier_create"),
    path("rounds/<int:pk>/results/", views.results, name="results"),
    path("rounds/<int:pk>/decision/", views.decision, name="decision"),
    path("rounds/<int:pk>/historical/", views.historical_result, name="historical_result"),
    path("rounds/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/edit/", views.dossier_edit, name="dossier_edit"),
    path("dossiers/<int:pk>/submit/", views.dossier_submit, name="dossier_submit"),
    path("dossiers/<int:pk>/screen/", views.dossier_screen, name="dossier_screen"),
    path("dossiers/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("dossiers/<int:pk>/conflict/", views.conflict_declare, name="conflict_declare"),
    path("dossiers/<int:pk>/visits/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/", private_document, {"kind": "visit"}, name="visit_file"),
    path("dossiers/<int:pk>/appeal/", views.appeal_lodge, name="appeal_lodge"),
    path("appeals/<int:pk>/answer/", views.appeal_answer, name="appeal_answer"),
    path("appeals/<int:pk>/withdraw/", views.appeal_withdraw, name="appeal_withdraw"),
    path("dossiers/<int:pk>/score/", views.score_form, name="score_form"),
    path("dossiers/<int:pk>/score/check/", views.score_check, name="score_check"),
    path("documents/<int:pk>/", private_document, {"kind": "dossier"}, name="document_download"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/do/<slug:action>/", views.batch_action, name="batch_action"),
    path("batches/<int:pk>/remove/<int:dossier_pk>/", views.batch_remove, name="batch_remove"),
    path("batch-letters/<int:pk>/", private_document, {"kind": "batch_letter"}, name="batch_letter"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    # the list moved to /notifications/; the old address still answers (links in mails already sent)
    path("notifications/", notification_views.notification_list, name="notifications"),
]
