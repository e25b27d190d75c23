from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.registration_list, name="registration_list"),
    path("prepare/", views.registration_prepare, name="registration_prepare"),
    path("import/", views.registration_import, name="registration_import"),
    path("import-allocation/", views.allocation_import, name="allocation_import"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path("<int:pk>/", views.registration_detail, name="registration_detail"),
    path("<int:pk>/file/", views.registration_file, name="registration_file"),
    path("<int:pk>/allocation-file/", views.allocation_file, name="allocation_file"),
    path("<int:pk>/sign-report/", views.sign_report, name="sign_report"),
    path("<int:pk>/pdf/", views.registration_pdf, name="registration_pdf"),
    path("<int:pk>/xlsx/", views.registration_xlsx, name="registration_xlsx"),
    path("<int:pk>/<slug:action>/", views.registration_action, name="registration_action"),
]
