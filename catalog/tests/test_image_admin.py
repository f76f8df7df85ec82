"""Staff upload posters, photos and stills in the admin; hostile files are refused there."""

from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.test import TestCase
from django.urls import reverse

from catalog.models import Film, Person, Still

from .image_helpers import (
    HTML_PAGE,
    compressed_bomb,
    image_upload,
    jpeg_with_gps,
    truncated_jpeg,
    upload,
)


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def _post_value(value):
    if isinstance(value, File):
        return None  # browsers never send a stored file back
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def change_form_data(response):
    """What a browser would post back from an admin change page left as it is."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
        forms.extend(formset.initial_forms)
    for form in forms:
        for name in form.fields:
            value = _post_value(form[name].value())
            if value is not None and value != []:
                data[form.add_prefix(name)] = value
            elif isinstance(value, list):
                data[form.add_prefix(name)] = []
    return data


class AdminImageUploadTests(TestCase):
    fixtures = ["children-of-heaven"]

    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )
        cls.film = Film.objects.get(slug="children-of-heaven-1997")

    def setUp(self):
        self.client.force_login(self.staff)
        self.url = reverse("admin:catalog_film_change", args=[self.film.pk])

    def film_form_with(self, **files):
        data = change_form_data(self.client.get(self.url))
        data.update(files)
        return data

    def still_prefix(self, still):
        stills = list(self.film.stills.order_by("order", "id"))
        return f"stills-{stills.index(still)}"

    def test_staff_upload_a_poster_and_three_stills_for_children_of_heaven(self):
        stills = list(self.film.stills.order_by("order", "id"))
        self.assertEqual(len(stills), 3)
        files = {"poster": image_upload("JPEG", "poster.jpg", size=(1000, 1500))}
        for i, _still in enumerate(stills):
            files[f"stills-{i}-image"] = image_upload("PNG", f"still-{i}.png", size=(1600, 900))
            files[f"stills-{i}-credit_line"] = "Varahonar Company"
        response = self.client.post(self.url, self.film_form_with(**files))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

        self.film.refresh_from_db()
        self.assertTrue(self.film.poster.name.startswith("posters/poster"))
        self.assertEqual((self.film.poster_width, self.film.poster_height), (1000, 1500))
        for still in Still.objects.filter(film=self.film):
            with self.subTest(still=still.caption):
                self.assertTrue(still.image.name.endswith(".png"))
                self.assertEqual((still.image_width, still.image_height), (1600, 900))
                self.assertEqual(still.credit_line, "Varahonar Company")
        # Four originals, each with six widths in two formats.
        self.assertEqual(len(stored_files()), 4 + 4 * 6 * 2)

        page = self.client.get(self.film.get_absolute_url())
        self.assertContains(page, "<picture>", count=4)
        self.assertContains(page, 'type="image/webp"', count=4)
        self.assertContains(page, '<div class="film-hero__backdrop"><img src="/media/renditions/')
        self.assertContains(page, 'alt="Amir Farrokh Hashemian stars as Ali"')

    def test_hostile_files_are_refused_with_a_clear_message_on_the_form(self):
        cases = [
            ("an HTML page named .jpg", upload(HTML_PAGE, "poster.jpg"), "is not one"),
            ("a truncated JPEG", upload(truncated_jpeg(), "poster.jpg"), "damaged or incomplete"),
            ("a decompression bomb", upload(compressed_bomb(), "poster.png"), "too many pixels"),
            ("a GIF", image_upload("GIF", size=(20, 20)), "Upload a JPEG, PNG or WebP image"),
        ]
        for label, hostile, message in cases:
            with self.subTest(label):
                response = self.client.post(self.url, self.film_form_with(poster=hostile))
                self.assertEqual(response.status_code, 200)
                self.assertIn("poster", response.context["adminform"].form.errors)
                self.assertContains(response, message)
        self.film.refresh_from_db()
        self.assertFalse(self.film.poster)
        self.assertEqual(stored_files(), [])

    def test_a_hostile_still_is_refused_on_its_inline_and_nothing_is_stored(self):
        data = self.film_form_with(
            poster=image_upload("JPEG", "poster.jpg"),
            **{"stills-0-image": upload(HTML_PAGE, "still.jpg")},
        )
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not one")
        self.film.refresh_from_db()
        self.assertFalse(self.film.poster)
        self.assertEqual(stored_files(), [])

    def test_a_new_still_takes_its_alt_text_from_the_caption(self):
        still_url = reverse("admin:catalog_still_add")
        response = self.client.post(
            still_url,
            {
                "film": self.film.pk,
                "caption": "Ali runs through the alleys",
                "image": upload(jpeg_with_gps(), "run.jpg"),
                "order": 4,
            },
        )
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        still = Still.objects.get(caption="Ali runs through the alleys")
        self.assertEqual(still.alt, "Ali runs through the alleys")
        self.assertEqual((still.image_width, still.image_height), (640, 480))

    def test_staff_upload_and_clear_a_person_photo(self):
        person = Person.objects.get(name="Bahare Seddiqi")
        url = reverse("admin:catalog_person_change", args=[person.pk])
        data = change_form_data(self.client.get(url))
        data["photo"] = image_upload("WEBP", "bahare.webp", size=(600, 900))
        self.assertEqual(self.client.post(url, data).status_code, 302)
        person.refresh_from_db()
        self.assertEqual((person.photo_width, person.photo_height), (600, 900))
        page = self.client.get(person.get_absolute_url())
        self.assertContains(page, 'alt="Photo of Bahare Seddiqi"')

        data = change_form_data(self.client.get(url))
        data["photo-clear"] = "on"
        data.pop("photo", None)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        person.refresh_from_db()
        self.assertFalse(person.photo)
        self.assertIsNone(person.photo_width)
        self.assertContains(self.client.get(person.get_absolute_url()), "No photo yet of")
