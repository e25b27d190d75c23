from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("rows/<str:figure>/", views.rows, name="rows"),
    path("establishments/<int:pk>/", views.establishment_journey, name="journey"),
]
