from django.urls import path, re_path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("catalogue/", views.product_list, name="product_list"),
    path("catalogue/<int:pk>/", views.product_detail, name="product_detail"),
    path("catalogue/export.csv", views.export_csv, name="export_csv"),
    path("catalogue/export.json", views.export_json, name="export_json"),
    path("catalogue/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("catalogue/summary.csv", views.summary_csv, name="summary_csv"),
    path("catalogue/summary.json", views.summary_json, name="summary_json"),
    path("catalogue/open-data/", views.open_data, name="open_data"),
    path("catalogue/my-profile/", views.my_profile, name="my_profile"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    re_path(r"^verify/(?P<key>.+?)/?$", views.verify, name="verify"),
]
