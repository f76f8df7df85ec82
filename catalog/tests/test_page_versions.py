"""Page versions are shared by every process serving the site (catalog/page_versions.py)."""

import multiprocessing

import pytest
from django.test import override_settings

from catalog import page_versions
from catalog.tests.helpers import make_film


def test_a_version_stays_until_a_write_replaces_it():
    first = page_versions.read(["film:a"])["film:a"]
    assert page_versions.read(["film:a"])["film:a"] == first
    assert first.written_at == 0  # made by a read, not a write

    page_versions.write(["film:a"])

    written = page_versions.read(["film:a"])["film:a"]
    assert written.token != first.token
    assert written.written_at > 0
    assert page_versions.read(["film:b"])["film:b"].token not in {first.token, written.token}


def _read_in_another_process(name, queue):
    queue.put(page_versions.read([name])[name].token)


def test_processes_making_the_same_version_at_once_agree_on_it():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_read_in_another_process, args=("film:new", queue)) for _ in range(8)
    ]
    for process in processes:
        process.start()
    tokens = {queue.get(timeout=30) for _ in processes}
    for process in processes:
        process.join(timeout=30)
    assert len(tokens) == 1
    assert page_versions.read(["film:new"])["film:new"].token in tokens


def test_a_write_in_another_process_is_seen_here():
    before = page_versions.read(["lists"])["lists"]
    process = multiprocessing.get_context("fork").Process(
        target=page_versions.write, args=(["lists"],)
    )
    process.start()
    process.join(timeout=30)
    assert page_versions.read(["lists"])["lists"] != before


@pytest.mark.parametrize(
    "content", ["", " ", "not a version", "abc nan-ish", "\x00\x00", "é", "x" * 300 + " 1"]
)
def test_an_unreadable_version_file_is_replaced_by_a_new_version(content, settings, tmp_path):
    settings.PAGE_VERSIONS_DIR = str(tmp_path)  # files even where CI runs with Redis
    page_versions.read(["film:a"])
    with open(page_versions._path("film:a"), "wb") as file:
        file.write(content.encode("latin-1"))

    version = page_versions.read(["film:a"])["film:a"]

    assert version.token
    assert page_versions.read(["film:a"])["film:a"] == version


@pytest.mark.django_db
def test_a_folder_that_cannot_be_used_renders_afresh_and_never_fails(client, tmp_path, caplog):
    film = make_film()
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    with override_settings(PAGE_VERSIONS_DIR=str(not_a_folder), PAGE_CACHE=True):
        first = page_versions.read(["film:a"])["film:a"]
        assert page_versions.read(["film:a"])["film:a"] != first  # never the same twice
        page_versions.write(["film:a"])  # logged, not raised

        assert client.get(film.get_absolute_url()).status_code == 200
        # Nothing is served from the cache, so nothing stale is.
        film.title = "A New Title"
        film.save()
        assert "A New Title" in client.get(film.get_absolute_url()).content.decode()
    assert "cannot be" in caplog.text


@override_settings(PAGE_VERSIONS_DIR=None)
def test_with_a_shared_cache_the_versions_live_in_it():
    long_scope = "person:" + "k" * 320  # a key the cache takes, however long the slug
    first = page_versions.read(["film:a"])["film:a"]
    assert page_versions.read(["film:a"])["film:a"] == first
    page_versions.write(["film:a"])
    assert page_versions.read(["film:a"])["film:a"].token != first.token
    page_versions.write([long_scope])
    assert page_versions.read([long_scope])[long_scope].written_at > 0
