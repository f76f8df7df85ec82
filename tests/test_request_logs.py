"""Logs are JSON lines, each with the id of the request it was logged in, and
the id is echoed to the client in X-Request-ID."""

import json
import logging
import re

from django.test import TestCase

from config.log import JsonFormatter, RequestIdFilter

from .test_settings import run_django

BASE_ENV = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_HTTPS": "0",
}


class CapturedLog:
    """The site's own log handler set-up (filter + JSON formatter) on a
    logger, writing to a list."""

    def __init__(self, name):
        self.logger = logging.getLogger(name)
        self.lines = []
        self.handler = logging.Handler()
        self.handler.emit = lambda record: self.lines.append(self.handler.format(record))
        self.handler.addFilter(RequestIdFilter())
        self.handler.setFormatter(JsonFormatter())

    def __enter__(self):
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)

    def entries(self):
        return [json.loads(line) for line in self.lines]


class RequestIdTests(TestCase):
    def test_every_response_carries_a_fresh_request_id(self):
        first = self.client.get("/healthz")["X-Request-ID"]
        second = self.client.get("/healthz")["X-Request-ID"]
        self.assertRegex(first, r"^[0-9a-f]{32}$")
        self.assertNotEqual(first, second)

    def test_an_id_sent_by_a_proxy_is_kept(self):
        response = self.client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a.77"})
        self.assertEqual(response["X-Request-ID"], "nginx-4f2a.77")

    def test_an_id_that_could_forge_log_lines_is_replaced(self):
        for sent in ["a\nb", "x" * 129, "<script>", "", "id with spaces"]:
            with self.subTest(sent=sent):
                response = self.client.get("/healthz", headers={"X-Request-ID": sent})
                self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_what_is_logged_while_serving_a_request_carries_its_id(self):
        with CapturedLog("django.request") as log:
            response = self.client.get("/no-such-page/", headers={"X-Request-ID": "trace-1"})
        self.assertEqual(response.status_code, 404)
        [entry] = log.entries()
        self.assertEqual(entry["request_id"], "trace-1")
        self.assertEqual(entry["level"], "WARNING")
        self.assertEqual(entry["logger"], "django.request")
        self.assertIn("/no-such-page/", entry["message"])
        self.assertEqual(entry["status_code"], 404)


def test_a_log_line_outside_a_request_has_no_id_and_keeps_its_traceback():
    with CapturedLog("films.test") as log:
        try:
            raise ValueError("broken <thing>")
        except ValueError:
            log.logger.exception("It failed", extra={"film": "children-of-heaven"})
    [entry] = log.entries()
    assert entry["request_id"] == "-"
    assert entry["film"] == "children-of-heaven"
    assert "ValueError: broken <thing>" in entry["exception"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", entry["time"])


def test_the_configured_console_log_writes_json_lines(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/healthz', headers={'X-Request-ID': 'abc-123'})"
    )
    # A database that cannot be opened: the health check logs why.
    database = f"sqlite:///{tmp_path}/missing/db.sqlite3"
    result = run_django({**BASE_ENV, "DATABASE_URL": database}, code)
    assert result.returncode == 0, result.stderr
    # (Python's own warnings, printed before logging is set up, are not log lines.)
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert entries, result.stderr
    for entry in entries:
        assert {"level": "ERROR", "request_id": "abc-123"}.items() <= entry.items()
    assert "unable to open database file" in entries[0]["exception"]


def test_text_logs_for_reading_by_eye():
    code = "import django; django.setup(); import logging; logging.getLogger('x').warning('hi')"
    result = run_django({**BASE_ENV, "DJANGO_LOG_FORMAT": "text"}, code)
    assert result.returncode == 0, result.stderr
    assert re.search(r"WARNING x \[-\] hi$", result.stderr.strip())
