from django.urls import path, re_path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/archive/", views.event_archive, name="event_archive"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/participants/", views.event_add_participant, name="event_add_participant"),
    path("events/<int:pk>/participant-products/", views.participant_products, name="participant_products"),
    path("events/<int:pk>/outcomes/", views.event_add_outcome, name="event_add_outcome"),
    path("outcomes/<int:pk>/archive/", views.outcome_archive, name="outcome_archive"),
    path("participations/<int:pk>/decide/", views.participation_decide, name="participation_decide"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/archive/", views.training_archive, name="training_archive"),
    path("trainings/<int:pk>/participants/", views.training_add_participant, name="training_add_participant"),
    path("trainees/<int:pk>/attendance/", views.trainee_attendance, name="trainee_attendance"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/", views.survey_add_question, name="survey_add_question"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("surveys/<int:pk>/send/", views.survey_send, name="survey_send"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    re_path(r"^surveys/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", views.survey_export, name="survey_export"),
]
