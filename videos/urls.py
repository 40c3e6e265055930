from django.urls import path

from videos import views

app_name = "videos"

urlpatterns = [
    path("log/sets/<int:pk>/video/", views.set_video, name="set-video"),
    path(
        "log/sets/<int:pk>/video/uploads/",
        views.set_video_upload_start,
        name="set-upload-start",
    ),
    path("log/sessions/<int:pk>/video/<str:side>/", views.side_video, name="side-video"),
    path(
        "log/sessions/<int:pk>/video/<str:side>/uploads/",
        views.side_video_upload_start,
        name="side-upload-start",
    ),
    path("videos/uploads/<uuid:pk>/", views.video_upload, name="upload"),
    path("videos/<int:pk>/", views.video_detail, name="detail"),
    path("videos/<int:pk>/delete/", views.video_delete, name="delete"),
    path("videos/<int:pk>/comments/", views.video_comment, name="comment"),
    path("videos/<int:pk>/reviewed/", views.video_reviewed, name="reviewed"),
    # Before "file", whose <str:kind> would take "analysis.json".
    path("videos/<int:pk>/analysis.json", views.video_analysis, name="analysis"),
    path("videos/<int:pk>/suggestions/", views.video_suggestion, name="suggestion"),
    path("videos/<int:pk>/log-set/", views.video_log_set, name="log-set"),
    path("videos/<int:pk>/<str:kind>", views.video_file, name="file"),
]
