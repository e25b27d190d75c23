from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<int:pk>/", views.job_detail, name="job"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/run/", views.job_run, name="job_run"),
    path("imports/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("imports/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("imports/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
]
