"""The site as production runs it: gunicorn with gunicorn.conf.py, static
files collected with hashed names and served by whitenoise."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# One test process runs this module (`--dist loadgroup`), so each server
# below starts once per run, not once per process that runs one of its tests.
pytestmark = pytest.mark.xdist_group("gunicorn")
# This project's range for servers started by tests and benchmarks.
PORTS = range(8450, 8500)


def free_ports():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        yield port


def request(port, method, path, headers=None, body=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.headers, response.read()


def get(port, path, timeout=10):
    status, headers, body = request(port, "GET", path, timeout=timeout)
    return status, dict(headers), body


def start_gunicorn(env, log_path, deadline=30):
    """gunicorn on the first port it can bind; (port, process) once it answers.

    Another test run on the machine may take a port between our check and
    gunicorn's bind, so the log must say *this* gunicorn is listening.
    """
    for port in free_ports():
        log = open(log_path, "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            text = log_path.read_text()
            if f"Listening at: http://127.0.0.1:{port}" in text and process.poll() is None:
                try:
                    get(port, "/healthz")
                    return port, process
                except OSError:
                    pass
            if "Connection in use" in text or process.poll() is not None:
                break
            time.sleep(0.1)
        process.kill()
        process.wait()
    pytest.fail("gunicorn could not start on any port of the test range")


def own_folders(folder):
    """Cache and sessions of a server started by a test: never the
    checkout's var/, which `make run` and other test processes use."""
    return {
        "DJANGO_CACHE_DIR": str(folder / "cache"),
        "DJANGO_SESSION_DIR": str(folder / "sessions"),
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_HTTPS="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        **own_folders(folder),
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        HOST="127.0.0.1",
        WEB_CONCURRENCY="2",
    )
    # Migrated as a deploy is: /healthz answers 503 while migrations are missing.
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    port, process = start_gunicorn(env, folder / "gunicorn.log")
    try:
        yield port, process, folder
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serves_the_health_check_with_the_security_headers(served):
    port, _, _ = served
    status, headers, body = get(port, "/healthz")
    assert (status, body) == (200, b"ok\n")
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_hashed_static_files_are_cached_for_a_year_or_more(served):
    port, _, folder = served
    hashed = next((folder / "static" / "css").glob("site.*.css")).name
    assert re.fullmatch(r"site\.[0-9a-f]{12}\.css", hashed)
    status, headers, body = get(port, f"/static/css/{hashed}")
    assert status == 200 and body
    max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"])[1])
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in headers["Cache-Control"]
    # Pages name the hashed file (config/storage.py works it out once).
    _, _, page = get(port, "/accounts/login/")
    assert f'href="/static/css/{hashed}"'.encode() in page
    # The unhashed name may change at any deploy, so browsers recheck it soon.
    _, headers, _ = get(port, "/static/css/site.css")
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"])[1]) <= 3600


def worker_pids(log, event):
    """Pids of the workers the log says booted ("booting") or exited ("exiting")."""
    pattern = {
        "booting": r"Booting worker with pid: (\d+)",
        "exiting": r"Worker exiting \(pid: (\d+)\)",
    }[event]
    return set(re.findall(pattern, log))


def test_a_graceful_restart_keeps_serving_and_a_stop_is_clean(served):
    port, process, folder = served
    log_path = folder / "gunicorn.log"
    old_workers = worker_pids(log_path.read_text(), "booting")
    assert len(old_workers) == 2
    process.send_signal(signal.SIGHUP)  # reload workers, as a deploy does

    # Ask again and again until the old workers have exited and new ones have
    # booted. Every request must be answered: one that comes while no worker
    # is ready waits in the listening socket's queue (booting Django takes a
    # while on a loaded machine, hence the long timeout), but a dropped,
    # refused or failed request fails the test.
    statuses = []
    deadline = time.monotonic() + 120
    while True:
        statuses.append(get(port, "/healthz", timeout=60)[0])
        log = log_path.read_text()
        new_workers = worker_pids(log, "booting") - old_workers
        if old_workers <= worker_pids(log, "exiting") and len(new_workers) >= 2:
            break
        assert time.monotonic() < deadline, "the old workers never left, or no new ones came"
        time.sleep(0.05)
    # Only the new workers are left to answer this one.
    statuses.append(get(port, "/healthz", timeout=60)[0])
    assert set(statuses) == {200}

    process.send_signal(signal.SIGTERM)
    # Workers get graceful_timeout (30 s) to finish what they serve.
    assert process.wait(timeout=60) == 0
    log = log_path.read_text()
    # The access log goes to stdout, one line a request.
    assert len(re.findall(r'"GET /healthz HTTP/1.1" 200 3 \d+ms', log)) >= len(statuses)
    assert "Handling signal: hup" in log
    assert new_workers <= worker_pids(log, "exiting")  # a clean stop, no worker killed


FAN_PASSWORD = "a long test passphrase"


def cookies_set(headers):
    return dict(
        re.match(r"([^=]+)=([^;]*)", value).groups() for value in headers.get_all("Set-Cookie")
    )


@pytest.fixture(scope="module")
def served_with_the_seed(tmp_path_factory):
    """Three workers, the page cache on and the seed catalogue, as `make run`."""
    folder = tmp_path_factory.mktemp("gunicorn-seed")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)  # the workers share a cache in files
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_HTTPS="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        **own_folders(folder),
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        HOST="127.0.0.1",
        WEB_CONCURRENCY="3",
    )
    make_fan = "from accounts.models import User; User.objects.create_user('fan', password=%r)"
    for command in (
        ["migrate", "-v0"],
        ["seed_catalogue", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["shell", "-c", make_fan % FAN_PASSWORD],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    port, process = start_gunicorn(env, folder / "gunicorn.log")
    try:
        yield port, env, folder
    finally:
        process.kill()
        process.wait()


def test_a_change_shows_on_the_next_request_whichever_worker_answers_it(served_with_the_seed):
    port, env, _ = served_with_the_seed
    film_page = "/films/children-of-heaven-1997/"
    # Each request comes on a new connection, so every worker serves some of
    # them and keeps the page in its own memory.
    for _ in range(30):
        status, _, body = get(port, film_page)
        assert status == 200 and b"Children of Heaven" in body
    assert b"Heaven, Edited" not in get(port, "/")[2]

    # A change made in another process altogether, as by a staff edit served
    # by one worker or by a management command.
    edit = (
        "from catalog.models import Film;"
        "film = Film.objects.get(slug='children-of-heaven-1997');"
        "film.title = 'Children of Heaven, Edited'; film.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", edit], cwd=ROOT, env=env, check=True
    )

    for path in [film_page] * 30 + ["/"] * 10:
        status, _, body = get(port, path)
        assert status == 200
        assert b"Children of Heaven, Edited" in body, f"{path} still shows the old title"


def log_in(port, username):
    """The session cookie of a fan logged in through the login form."""
    _, headers, body = request(port, "GET", "/accounts/login/")
    csrf_cookie = cookies_set(headers)["csrftoken"]
    csrf_field = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        f"csrfmiddlewaretoken={csrf_field}&username={username}"
        f"&password={FAN_PASSWORD.replace(' ', '+')}",
    )
    assert status == 302
    session_key = cookies_set(headers)["sessionid"]
    return session_key, f"csrftoken={csrf_cookie}; sessionid={session_key}"


def film_pages(port, cookie, times=20):
    return [
        request(port, "GET", "/films/children-of-heaven-1997/", {"Cookie": cookie})
        for _ in range(times)
    ]


def test_a_fan_is_logged_in_and_then_out_whichever_worker_answers(served_with_the_seed):
    port, _, folder = served_with_the_seed
    session_key, cookie = log_in(port, "fan")
    # On one machine with SQLite, sessions are files every worker reads.
    assert list((folder / "sessions").glob(f"*{session_key}"))

    # Every worker reads the session the login wrote.
    pages = film_pages(port, cookie)
    assert all(status == 200 and b'dir="auto">fan</a>' in body for status, _, body in pages)

    logout_field = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', pages[-1][2])
    status, _, _ = request(
        port,
        "POST",
        "/accounts/logout/",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        f"csrfmiddlewaretoken={logout_field[1].decode()}",
    )
    assert status == 302
    # The old session cookie, replayed against every worker, logs nobody in.
    pages = film_pages(port, cookie)
    assert all(status == 200 and b"Log in</a>" in body for status, _, body in pages)


def test_a_fan_deactivated_by_another_process_is_logged_out_by_every_worker(
    served_with_the_seed,
):
    port, env, _ = served_with_the_seed
    _, cookie = log_in(port, "fan")
    # Every worker now keeps the fan's account in its own memory.
    assert all(b'dir="auto">fan</a>' in body for _, _, body in film_pages(port, cookie))

    deactivate = (
        "from accounts.models import User;"
        "fan = User.objects.get(username='fan'); fan.is_active = False; fan.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", deactivate], cwd=ROOT, env=env, check=True
    )
    assert all(b"Log in</a>" in body for _, _, body in film_pages(port, cookie))


def caches_to_try():
    yield "files"
    yield pytest.param(
        "redis",
        marks=pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
    )


@pytest.fixture(scope="module", params=caches_to_try())
def served_with_one_proxy(request, tmp_path_factory):
    """Three workers behind one (pretend) proxy, each access log line naming
    the worker's pid: the default cache in files, or in Redis with REDIS_URL."""
    folder = tmp_path_factory.mktemp(f"gunicorn-{request.param}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    if request.param == "files":
        env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_HTTPS="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        **own_folders(folder),
        # Keys of their own in a Redis that other runs may share.
        CACHE_KEY_PREFIX=f"test-{os.getpid()}-{time.time_ns()}",
        # Each round of posts below comes "from" another address.
        DJANGO_PROXY_COUNT="1",
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        HOST="127.0.0.1",
        WEB_CONCURRENCY="3",
        GUNICORN_CMD_ARGS="--access-logformat 'pid=%(p)s \"%(r)s\" %(s)s'",
    )
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    port, process = start_gunicorn(env, folder / "gunicorn.log")
    try:
        yield port, folder
    finally:
        process.kill()
        process.wait()


def test_the_sign_up_limit_holds_whichever_worker_answers(served_with_one_proxy):
    port, folder = served_with_one_proxy
    _, headers, body = request(port, "GET", "/accounts/signup/")
    cookie = f"csrftoken={cookies_set(headers)['csrftoken']}"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()

    def sign_up(address, n):
        status, _, _ = request(
            port,
            "POST",
            f"/accounts/signup/?from={address}&post={n}",
            {
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": address,
            },
            f"csrfmiddlewaretoken={token}&username=fan-{address}-{n}"
            f"&email=fan-{n}%40{address}.example&password1=a+long+test+passphrase"
            "&password2=a+long+test+passphrase",
        )
        return status

    def pids(address):
        """The pid of the worker that answered each post from `address`.

        A worker writes its access log line after sending the response, so
        the last one may come a moment after the answer."""
        pattern = rf"pid=<(\d+)> \"POST /accounts/signup/\?from={address}&post=(\d)"
        deadline = time.monotonic() + 20
        while True:
            found = re.findall(pattern, (folder / "gunicorn.log").read_text())
            if len(found) >= 6 or time.monotonic() > deadline:
                return [pid for pid, _ in sorted(found, key=lambda found: found[1])]
            time.sleep(0.05)

    # Five sign-ups an hour from one address, then 429, whichever worker
    # counts: every round must hold, and rounds go on (a few at most) until
    # the sixth post went to a worker that had not answered all five before
    # it, so only counts shared between workers could have refused it.
    for round in range(1, 11):
        address = f"203.0.113.{round}"
        statuses = [sign_up(address, n) for n in range(1, 7)]
        assert statuses == [302] * 5 + [429], f"round {round}: {statuses}"
        answered_by = pids(address)
        assert len(answered_by) == 6, "the access log names each post's worker"
        if answered_by[:5].count(answered_by[5]) < 5:
            break
    else:
        pytest.fail("in ten rounds, one worker always answered all six posts")
