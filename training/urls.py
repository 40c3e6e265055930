from django.urls import path

from training import sync_views, views

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
    path("log/from-timer/", views.log_from_timer, name="log-from-timer"),
    path("log/sync/", sync_views.sync, name="sync"),
    path("offline/log/", sync_views.offline_log, name="offline-log"),
]
