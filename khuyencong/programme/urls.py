from django.urls import path

from khuyencong.core.views import private_document

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/payments/", views.disbursement_add, name="disbursement_add"),
    path("projects/<int:pk>/documents/", views.document_add, name="document_add"),
    path("projects/<int:pk>/<slug:action>/", views.project_action, name="project_action"),
    path("documents/<int:pk>/", private_document, {"kind": "project"}, name="document_download"),
    path("documents/<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/archive/", views.rule_archive, name="rule_archive"),
    path("settlement/", views.settlement_report, name="settlement_report"),
    path("settlement/xlsx/", views.settlement_report_xlsx, name="settlement_report_xlsx"),
    path("projects/<int:pk>/budget/", views.project_budget, name="project_budget"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/lines/", views.plan_line, name="plan_line"),
    path("plans/<int:pk>/rank/", views.plan_rank, name="plan_rank"),
]
