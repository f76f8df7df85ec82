"""Uploaded images served by the app (development and `make run`)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.urls import include, path

from config.media import media_urlpatterns, serve_media
from tests.test_settings import run_django

# The media route in front of the site's own, whatever DJANGO_SERVE_MEDIA says.
urlpatterns = [path("media/<path:path>", serve_media), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
class ServeMediaTests(TestCase):
    def setUp(self):
        default_storage.save("renditions/posters/p-160w.webp", ContentFile(b"RIFF....WEBP"))

    def test_a_stored_file_is_served_with_a_long_cache_and_a_sandbox(self):
        response = self.client.get("/media/renditions/posters/p-160w.webp")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(response["Cache-Control"], "public, max-age=2592000")
        self.assertIn("sandbox", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_paths_outside_the_media_folder_and_folder_listings_are_refused(self):
        for bad in [
            "/media/../settings.py",
            "/media/%2e%2e/%2e%2e/etc/passwd",
            "/media/renditions/",
            "/media/renditions/posters",
            "/media/nope.jpg",
            "/media/%00.jpg",
        ]:
            with self.subTest(path=bad):
                self.assertIn(self.client.get(bad).status_code, {400, 404})

    def test_only_reading_is_allowed(self):
        response = self.client.post("/media/renditions/posters/p-160w.webp")
        self.assertEqual(response.status_code, 405)


class MediaRouteSwitchTests(TestCase):
    def test_the_route_exists_only_when_serving_media_is_switched_on(self):
        with self.settings(SERVE_MEDIA=False):
            self.assertEqual(media_urlpatterns(), [])
        with self.settings(SERVE_MEDIA=True, MEDIA_URL="/media/"):
            [pattern] = media_urlpatterns()
            self.assertTrue(pattern.pattern.match("media/posters/a.jpg"))

    def test_media_on_another_host_is_never_served_here(self):
        for url in ["https://cdn.example/media/", "//cdn.example/media/"]:
            with self.subTest(url=url), self.settings(SERVE_MEDIA=True, MEDIA_URL=url):
                self.assertEqual(media_urlpatterns(), [])


def test_media_storage_and_serving_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['default'], s.SERVE_MEDIA)"
    )
    default = run_django({"DJANGO_SECRET_KEY": "x" * 50}, code)
    assert default.returncode == 0, default.stderr
    assert "FileSystemStorage" in default.stdout
    assert default.stdout.strip().endswith("False")
    s3 = run_django(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_SERVE_MEDIA": "0",
            "DJANGO_MEDIA_STORAGE": "storages.backends.s3.S3Storage",
            "DJANGO_MEDIA_STORAGE_OPTIONS": '{"bucket_name": "films"}',
        },
        code,
    )
    assert s3.returncode == 0, s3.stderr
    assert "'storages.backends.s3.S3Storage', 'OPTIONS': {'bucket_name': 'films'}" in s3.stdout


def test_storage_options_that_are_not_a_json_object_stop_the_start_with_a_clear_message():
    for bad in ["{bucket: films}", "[1, 2]", '"films"']:
        result = run_django({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_MEDIA_STORAGE_OPTIONS": bad})
        assert result.returncode != 0
        assert "DJANGO_MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr
