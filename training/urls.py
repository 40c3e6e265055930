from django.urls import path

from training import coach_views, sync_views, video_views, views

app_name = "training"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("log/", views.log, name="log"),
    path("log/sessions/new/", views.session_create, name="session-create"),
    path("log/sessions/empty/delete/", views.empty_sessions_delete, name="empty-sessions-delete"),
    path("log/sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("log/sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("log/sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("log/sessions/<int:pk>/sets/", views.set_create, name="set-create"),
    path("log/sessions/<int:pk>/sets/repeat/", views.set_repeat, name="set-repeat"),
    path("log/sessions/<int:pk>/sets/mirror/", views.set_mirror, name="set-mirror"),
    path("log/sessions/<int:pk>/sets/restore/", views.set_restore, name="set-restore"),
    path("log/sessions/<int:pk>/sets/sides/", views.set_sides, name="set-sides"),
    path("log/sets/<int:pk>/edit/", views.set_edit, name="set-edit"),
    path("log/sets/<int:pk>/delete/", views.set_delete, name="set-delete"),
    path("log/level/", views.level_history, name="level-history"),
    path("log/level/accept/", views.level_accept, name="level-accept"),
    path("log/level/dismiss/", views.level_dismiss, name="level-dismiss"),
    path("log/history/", views.history, name="history"),
    path("log/records/", views.records, name="records"),
    path("log/progress/", views.progress_view, name="progress"),
    path("log/export.csv", views.export_csv, name="export"),
    path("log/import/", views.import_csv, name="import"),
    path("log/import/pending/<int:pk>/", views.import_preview, name="import-preview"),
    path("log/import/pending/<int:pk>/save/", views.import_save, name="import-save"),
    path("log/import/pending/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("log/import/<int:pk>/undo/", views.import_undo, name="import-undo"),
    path("log/from-timer/", views.log_from_timer, name="log-from-timer"),
    path("log/sync/", sync_views.sync, name="sync"),
    # Public, kept by the service worker: outside the signed-in prefixes it never keeps.
    path("offline/log/", sync_views.offline_log, name="offline-log"),
    path("coach/", coach_views.dashboard, name="coach-dashboard"),
    path("coach/invite/", coach_views.invite, name="coach-invite"),
    path(
        "coach/invite/<int:pk>/cancel/",
        coach_views.cancel_invitation,
        name="coach-invite-cancel",
    ),
    path("coach/athletes/<int:user_id>/", coach_views.athlete_detail, name="coach-athlete"),
    path("coach/athletes/<int:user_id>/prescribe/", coach_views.prescribe, name="coach-prescribe"),
    path("coach/athletes/<int:user_id>/level/", coach_views.move_level, name="coach-level"),
    path(
        "coach/athletes/<int:user_id>/approve/",
        coach_views.approve_promotion,
        name="coach-approve",
    ),
    path(
        "coach/athletes/<int:user_id>/flags/review/",
        coach_views.review_flag,
        name="coach-flag-review",
    ),
    path(
        "coach/athletes/<int:user_id>/sessions/<int:pk>/",
        coach_views.athlete_session,
        name="coach-session",
    ),
    path("coach/join/<str:code>/", coach_views.join, name="coach-join"),
    path("coach/join/<str:code>/decline/", coach_views.join_decline, name="coach-join-decline"),
    path("accounts/coaches/<int:pk>/end/", coach_views.end_coaching, name="coach-end"),
]

urlpatterns += [
    path("log/sets/<int:pk>/video/", video_views.set_video, name="set-video"),
    path(
        "log/sets/<int:pk>/video/uploads/",
        video_views.set_video_upload_start,
        name="set-video-upload-start",
    ),
    path("log/sessions/<int:pk>/video/<str:side>/", video_views.side_video, name="side-video"),
    path(
        "log/sessions/<int:pk>/video/<str:side>/uploads/",
        video_views.side_video_upload_start,
        name="side-video-upload-start",
    ),
    path("videos/uploads/<uuid:pk>/", video_views.video_upload, name="video-upload"),
    path("videos/<int:pk>/", video_views.video_detail, name="video-detail"),
    path("videos/<int:pk>/delete/", video_views.video_delete, name="video-delete"),
    path("videos/<int:pk>/comments/", video_views.video_comment, name="video-comment"),
    path("videos/<int:pk>/reviewed/", video_views.video_reviewed, name="video-reviewed"),
    # Before video-file, whose <str:kind> would take "analysis.json".
    path("videos/<int:pk>/analysis.json", video_views.video_analysis, name="video-analysis"),
    path("videos/<int:pk>/suggestions/", video_views.video_suggestion, name="video-suggestion"),
    path("videos/<int:pk>/log-set/", video_views.video_log_set, name="video-log-set"),
    path("videos/<int:pk>/<str:kind>", video_views.video_file, name="video-file"),
]
