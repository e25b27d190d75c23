from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.province_list, name="province_list"),
    path("<int:code>/", views.province_detail, name="province_detail"),
]
