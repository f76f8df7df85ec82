"""config/storage.py: hashed static file names, each worked out once."""

import json

import pytest

from config.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "paths": {"css/site.css": "css/site.0123456789ab.css"},
                "hash": "x",
            }
        )
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_file_is_named_by_its_hash_every_time(storage):
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/nowhere.css")
