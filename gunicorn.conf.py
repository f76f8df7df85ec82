"""gunicorn settings, read by `make serve`/`make run` (gunicorn -c gunicorn.conf.py).

Everything that differs between machines comes from the environment:
HOST and PORT (where to listen), WEB_CONCURRENCY (worker processes),
GUNICORN_TIMEOUT, and FORWARDED_ALLOW_IPS (the proxies allowed to say a
request came over HTTPS).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Sync workers: every page is a short, CPU-bound render plus a few quick
# queries, so one process per request in flight is the simplest fast set-up.
# Two per core plus one keeps a core busy while another worker waits on the
# database; WEB_CONCURRENCY overrides it (a small VM, or a benchmark).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that runs longer than this is stuck: its worker is killed and
# replaced. Graceful restarts (SIGHUP, or a deploy's SIGTERM) give requests in
# flight the same time to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
# Behind a proxy that keeps connections open to us.
keepalive = 5

# Recycle workers now and then so a slow leak never grows unbounded; the
# jitter keeps them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200

# Access and error logs to stdout/stderr, for the process supervisor to keep.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The last field is the X-Request-ID the site answered with (config/log.py),
# which its own JSON log lines carry too.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

wsgi_app = "config.wsgi:application"
