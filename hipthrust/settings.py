"""Settings for hipthrust, read from the environment (see README, "Configuration").

The local default is safe: SQLite in a file beside manage.py, DEBUG off unless
DJANGO_DEBUG asks for it, HTTPS hardening off until DJANGO_HTTPS switches it on.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hipthrust.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "hipthrust.views.csrf_failure"

# The development key only ever signs cookies for a server on this machine: a
# process that serves any other host without its own key refuses to start.
_DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
if (
    not DEBUG
    and SECRET_KEY == _DEVELOPMENT_SECRET_KEY
    and any(host not in LOCAL_HOSTS for host in ALLOWED_HOSTS)
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_ALLOWED_HOSTS names a public host."
    )

# Public origin used in canonical links and Open Graph tags, e.g. https://hipthrust.example.
# Empty means "the host of the request", which is right for local use.
SITE_URL = env_str("DJANGO_SITE_URL", "").rstrip("/")

# Where every answer depends on who asks (a log, a coach's view, a video, an account): the
# one list. The cache-control middleware (core/middleware.py) never lets these be stored,
# and the service worker (hipthrust/offline.py) never keeps them. A test in
# tests/test_permission_matrix.py checks every URL whose answer differs by person is here.
PERSONAL_PATH_PREFIXES = ("/log/", "/coach/", "/videos/", "/accounts/", "/admin/")

# bench/harness.py routes two fixed pages (hipthrust/bench_view.py) to measure the stack's
# ceilings; never on otherwise.
BENCH_VIEW = env_bool("HIPTHRUST_BENCH_VIEW", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # the widget templates, for the templates-setting FORM_RENDERER
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "hipthrust",  # the site-wide commands: demo data, requeueing every app's jobs
    "coaching",
    "training",
    "coaches",
    "videos",
    "imports",
]

MIDDLEWARE = [
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave compressed, proxy or not: the guide is 88 KB of HTML and about 10 KB
    # gzipped. Django pads each body with random bytes against BREACH. whitenoise sends
    # static files already compressed.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # Outside the session middleware: it marks private what depends on the session.
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside the session and auth middleware: it reads who is signed in and keeps, in the
    # session, what a form sent signed out held.
    "hipthrust.middleware.SignedOutFormMiddleware",
    "hipthrust.middleware.MethodNotAllowedPageMiddleware",
    "hipthrust.middleware.BoostedFormAddressMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hipthrust.auth.AnyCaseUsernameBackend",
]

ROOT_URLCONF = "hipthrust.urls"
FORM_RENDERER = "hipthrust.renderers.FormRenderer"
WSGI_APPLICATION = "hipthrust.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hipthrust.context_processors.site",
                "hipthrust.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a few people at once. WAL lets pages read while one
    # writer writes. IMMEDIATE takes the write lock when a transaction begins: a deferred
    # one that reads, then writes, fails at once with "database is locked" when another
    # wrote in between, whatever the timeout. The timeout is how long a writer waits for
    # the lock; synchronous=NORMAL is durable enough with WAL and much faster.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 20, minimum=1, maximum=300),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The values go to PostgreSQL apart from the statement (server-side binding), so a
    # statement run again, whoever's rows it asks for, is the same text, and psycopg
    # prepares it on its fifth run on a connection: PostgreSQL then plans it no more (a
    # page's queries took longer to plan than to run).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (Redis) lets several app servers share sessions, login throttling and
# rendered pages; without one, each process keeps its own in memory.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hipthrust",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Throttle counts (core/throttle.py) in a cache of their own, so that page traffic
# cannot evict them: a database table (made by `migrate`, see
# core/migrations/0001_throttle_cache_table.py), shared by every process, culled only
# far beyond any real use. Not Redis, even when there is one: Redis is run with an LRU
# eviction policy (README, "Deployment") that would drop the counts under page traffic.
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "hipthrust_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}

# Login throttling: five wrong passwords for one username from one address lock that
# pair out for fifteen minutes. The counts are rows in the database: shared between
# servers, never evicted, and a completed password reset can clear a username's lockout
# from every address (the cache handler can only clear one address's).
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
AXES_USERNAME_CALLABLE = "hipthrust.auth.lockout_name_of"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
# Accounts made per client address an hour: only those made count, so a slip (a name taken, a
# common password) costs nothing. Sign-up posts of any outcome have a higher cap of their own:
# each answers whether an email or a name has an account, which must not be asked without end.
# 60 (one a minute, all hour) is hipthrust's own choice: room for a gym's Wi-Fi of beginners.
SIGNUPS_PER_HOUR = env_int("DJANGO_SIGNUPS_PER_HOUR", 10, minimum=1)
SIGNUP_ATTEMPTS_PER_HOUR = env_int("DJANGO_SIGNUP_ATTEMPTS_PER_HOUR", 60, minimum=1)
# A coach's invitation link is a secret that opens their view of a log: it works once,
# and only for this many days.
INVITATION_DAYS = env_int("DJANGO_INVITATION_DAYS", 7, minimum=1, maximum=90)
# Password reset mails: per email address, and requests per client address.
PASSWORD_RESETS_PER_HOUR = env_int("DJANGO_PASSWORD_RESETS_PER_HOUR", 3, minimum=1)
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("DJANGO_PASSWORD_RESETS_PER_IP_PER_HOUR", 20, minimum=1)

# Uploads: photos are capped at 10 MB by the pipeline; whole requests a little above.
MAX_REQUEST_BYTES = env_int("DJANGO_MAX_REQUEST_BYTES", 12 * 1024 * 1024, minimum=1024)
# Set videos (videos/processing.py caps them at 200 MB): only their upload address takes a body
# this large, a little above the cap for the form's other fields.
LARGE_UPLOAD_PATHS = {
    r"^/log/sets/[0-9]+/video/$": 201 * 1024 * 1024,
    r"^/log/sessions/[0-9]+/video/(left|right|both)/$": 201 * 1024 * 1024,
}
# Stored video per trainee (originals, posters and renditions together), and uploads per hour.
VIDEO_QUOTA_BYTES = env_int("DJANGO_VIDEO_QUOTA_MB", 1024, minimum=1) * 1024 * 1024
VIDEO_UPLOADS_PER_HOUR = env_int("DJANGO_VIDEO_UPLOADS_PER_HOUR", 10, minimum=1)
# CSV files a trainee may upload for import per hour (imports/budget.py has the rest).
CSV_IMPORTS_PER_HOUR = env_int("DJANGO_CSV_IMPORTS_PER_HOUR", 20, minimum=1)
# Videos of one trainee waiting for (or in) their processing job: more are refused until one
# is ready (videos/services.py, check_queue).
VIDEO_JOBS_PER_TRAINEE = env_int("DJANGO_VIDEO_JOBS_PER_TRAINEE", 3, minimum=1)
# Chunked uploads (the page's script): chunks of this size, well under MAX_REQUEST_BYTES;
# one never finished goes, with its chunks, this long after it began.
VIDEO_UPLOAD_CHUNK_BYTES = 5 * 1024 * 1024
VIDEO_UPLOAD_LIFETIME = timedelta(hours=6)

# Background jobs (video processing): django-tasks with its database backend, so a queued
# job is a row committed with the upload that made it, and no other service is needed.
# `manage.py db_worker` runs them (README, "Deployment"); `make run` starts one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "training:log"
LOGOUT_REDIRECT_URL = "coaching:home"

# Mail for password resets: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_FROM_EMAIL", "hipthrust <noreply@localhost>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
STORAGES = {
    # Any Django storage backend for uploaded photos, e.g. django-storages'
    # "storages.backends.s3.S3Storage" (install it and set its own variables).
    "default": {
        "BACKEND": env_str("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    # Hashed, compressed files that whitenoise serves with far-future cache headers;
    # runs need `collectstatic` first (make run and the deployment script do it).
    "staticfiles": {"BACKEND": "hipthrust.storage.StaticFilesStorage"},
}

# Security headers. The HTTPS group switches on together behind a TLS-terminating proxy.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", True)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# No inline script or style anywhere: every script and stylesheet is a file from
# this origin, and htmx is told not to inject its indicator styles (see base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        # The service worker (/sw.js) and the web app manifest, both from this origin.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
