"""Test-wide set-up shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs `collectstatic` first; tests don't.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
