from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/rounds/<int:pk>/", views.round_documents, name="round_documents"),
    path("documents/rounds/<int:pk>/decision.pdf", views.decision_file, name="decision_pdf"),
    path("documents/rounds/<int:pk>/issue/", views.issue, name="issue"),
    path("documents/rounds/<int:pk>/sign/", views.sign, name="sign"),
    path("documents/<int:pk>/issued.pdf", views.original, name="original"),
    path("documents/<int:pk>/signed.pdf", views.signed, name="signed"),
    path("documents/<int:pk>/upload/", views.upload_signed, name="upload_signed"),
    path("documents/signatories/", views.signatories, name="signatories"),
    path("verify/pdf/", views.verify_pdf, name="verify_pdf"),
]
