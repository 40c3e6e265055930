"""gunicorn settings for production: `gunicorn hipthrust.wsgi` reads this file.

Everything comes from the environment so one image runs on any host.
"""

import os

# Loopback by default, as `make serve` and `make run`: the reverse proxy on the same host
# reaches it; HOST=0.0.0.0 where the proxy runs elsewhere (a container).
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Import Django once in the master and fork ready workers from it: a recycled worker then
# answers at once instead of spending a second importing while its requests queue (the
# harness saw p99 of 0.5 to 0.8 s on fast pages from that alone). Nothing opens a database
# connection at import, so no connection is shared across the fork.
preload_app = True
# The reverse proxy in front terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Header limits: nothing this app needs comes close.
limit_request_line = 8190
limit_request_fields = 100
