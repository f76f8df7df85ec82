"""Structured logs: one JSON object a line, each carrying the request's id.

RequestIdMiddleware (config/middleware.py) puts the id of the request being
served in a context variable; RequestIdFilter copies it onto every log record
made while it is served, so a 500's traceback, a failed health check and a
slow query can be matched with each other and with the proxy's access log
(which sees the same X-Request-ID header).
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# "-" outside a request (management commands, start-up).
request_id = contextvars.ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else was passed in `extra=` and is
# written out as a field of its own.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        # Django logs a 4xx response's line once the middleware has returned
        # (and the context variable is reset), but passes the request along.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, then any `extra=` fields, and
    the traceback as one string. Values that are not JSON become strings."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
