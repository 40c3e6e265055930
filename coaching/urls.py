from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("ladder/", views.variation_list, name="variation-list"),
    path("ladder/<slug:slug>/", views.variation_detail, name="variation-detail"),
    path(
        "ladder/<slug:slug>/keyframes.json", views.variation_keyframes, name="variation-keyframes"
    ),
    path("form-errors/<slug:slug>/", views.form_error_detail, name="form-error-detail"),
    path("guide/sheet.<str:fmt>", views.guide_sheet, name="guide-sheet"),
    path("figures/<slug:key>.png", views.figure_image, name="figure-image"),
]
