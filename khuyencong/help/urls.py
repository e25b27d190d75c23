from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>.pdf", views.role_pdf, name="role_pdf"),
    path("<slug:slug>/", views.role_guide, name="role"),
]
