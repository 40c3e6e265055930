from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("log/export.csv", views.export_csv, name="export"),
    path("log/import/", views.import_csv, name="import"),
    path("log/import/pending/<int:pk>/", views.import_preview, name="preview"),
    path("log/import/pending/<int:pk>/save/", views.import_save, name="save"),
    path("log/import/pending/<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("log/import/<int:pk>/undo/", views.import_undo, name="undo"),
]
