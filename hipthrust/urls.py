from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from coaching.caching import cached_public_page
from coaching.sitemaps import SITEMAPS
from coaching.views import robots_txt
from hipthrust.views import (
    LoginView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    account_closed,
    close_account,
    favicon,
    health,
    offline_page,
    serve_media,
    service_worker,
    start,
    web_manifest,
)

urlpatterns = [
    path("", include("coaching.urls")),
    path("", include("training.urls")),
    path("", include("coaches.urls")),
    path("", include("videos.urls")),
    path("", include("imports.urls")),
    path(
        "accounts/login/",
        LoginView.as_view(),
        name="login",
    ),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/close/", close_account, name="close-account"),
    path("accounts/closed/", account_closed, name="account-closed"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", health, name="health"),
    # At the root: a service worker controls only the pages under its own address.
    path("sw.js", service_worker, name="service-worker"),
    path("manifest.webmanifest", web_manifest, name="web-manifest"),
    path("start/", start, name="start"),
    path("offline/", cached_public_page(offline_page), name="offline"),
    # Pages outside our templates (the admin's) still make browsers ask for this.
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

if settings.SERVE_MEDIA:
    # Photos on local disk, served with safe headers; with object storage, turn this off.
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media, name="media")
    )

if settings.BENCH_VIEW:
    # bench/harness.py only: fixed pages through the full middleware stack.
    from hipthrust.bench_view import bare, signed_in_floor

    urlpatterns += [
        path("__bench__/bare/", bare, name="bench-bare"),
        path("__bench__/signed-in/", signed_in_floor, name="bench-signed-in"),
    ]

handler400 = "hipthrust.views.bad_request"
handler403 = "hipthrust.views.permission_denied"
handler404 = "hipthrust.views.page_not_found"
