from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("establishments/", views.establishment_list, name="establishment_list"),
    path("establishments/new/", views.establishment_create, name="establishment_create"),
    path("establishments/duplicates/", views.duplicates_check, name="duplicates_check"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path("establishments/<int:pk>/edit/", views.establishment_edit, name="establishment_edit"),
    path("establishments/<int:pk>/archive/", views.establishment_archive, name="establishment_archive"),
    path("communes/", views.commune_options, name="commune_options"),
    path("legacy-provinces/", views.legacy_province_options, name="legacy_province_options"),
    path("legacy-districts/", views.legacy_district_options, name="legacy_district_options"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/archive/", views.product_archive, name="product_archive"),
    path(
        "products/<int:pk>/certifications/", views.product_add_certification, name="product_add_certification"
    ),
    path("products/<int:pk>/ocop/", views.product_add_ocop, name="product_add_ocop"),
    path("products/<int:pk>/photos/", views.product_add_photo, name="product_add_photo"),
]
