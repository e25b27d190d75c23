"""Programme targets and progress, under /programme/targets/ (the figures are the reports')."""

from django.urls import path

from . import target_views as views

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="list"),
    path("new/", views.target_create, name="create"),
    path("<int:pk>/", views.progress, name="progress"),
    path("<int:pk>/progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("<int:pk>/edit/", views.target_edit, name="edit"),
    path("<int:pk>/targets/", views.target_values, name="values"),
]
