from django.urls import path

from coaches import views

app_name = "coaches"

urlpatterns = [
    path("coach/", views.dashboard, name="dashboard"),
    path("coach/invite/", views.invite, name="invite"),
    path(
        "coach/invite/<int:pk>/cancel/",
        views.cancel_invitation,
        name="invite-cancel",
    ),
    path("coach/athletes/<int:user_id>/", views.athlete_detail, name="athlete"),
    path("coach/athletes/<int:user_id>/prescribe/", views.prescribe, name="prescribe"),
    path("coach/athletes/<int:user_id>/level/", views.move_level, name="level"),
    path(
        "coach/athletes/<int:user_id>/approve/",
        views.approve_promotion,
        name="approve",
    ),
    path(
        "coach/athletes/<int:user_id>/flags/review/",
        views.review_flag,
        name="flag-review",
    ),
    path(
        "coach/athletes/<int:user_id>/sessions/<int:pk>/",
        views.athlete_session,
        name="session",
    ),
    path("coach/join/<str:code>/", views.join, name="join"),
    path("coach/join/<str:code>/decline/", views.join_decline, name="join-decline"),
    path("accounts/coaches/<int:pk>/end/", views.end_coaching, name="end"),
]
