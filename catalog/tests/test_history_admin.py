"""Staff see every edit of a film in its history, with who, when, their note
and a field-by-field diff, and revert it to any earlier version, related rows
included. The admin's own forms are posted, against the real database."""

from unittest import skipUnless

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from reversion.models import Version

from catalog import history
from catalog.models import Credit, Film, Person, Trivia
from reviews.tests.helpers import make_fan_review, make_user

from .admin_forms import form_data
from .helpers import make_credit, make_film, make_person


class FilmHistoryInTheAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )
        cls.film = make_film(title="Children of Heaven", slug="children-of-heaven", year=1997)
        cls.ali = make_credit(cls.film, make_person(name="Amir Farrokh Hashemian"), character="Ali")
        Trivia.objects.create(film=cls.film, text="Shot in south Tehran.")
        # Fans' ratings keep counters on the film that history must not touch.
        make_fan_review(cls.film, make_user(), points=8)

    def setUp(self):
        self.client.force_login(self.staff)
        self.change_url = reverse("admin:catalog_film_change", args=[self.film.pk])
        self.history_url = reverse("admin:catalog_film_history", args=[self.film.pk])

    def edit(self, **changes):
        response = self.client.post(
            self.change_url, form_data(self.client.get(self.change_url), **changes)
        )
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

    def newest_version(self):
        return history.versions_of(self.film).first()

    def test_an_edit_is_listed_with_who_when_and_the_note(self):
        self.edit(title="Children of Paradise", history_note="Title as on the <b>poster</b>")
        response = self.client.get(self.history_url)
        self.assertContains(response, "editor")
        self.assertContains(response, "Title as on the &lt;b&gt;poster&lt;/b&gt;")
        self.assertContains(response, "Changed Display title.")
        self.assertContains(response, "Show changes")
        self.assertContains(response, "Revert to this version")

    def test_the_first_edit_keeps_the_film_as_it_stood_before_it(self):
        self.edit(title="Children of Paradise")
        versions = list(history.versions_of(self.film))
        self.assertEqual(len(versions), 2)
        self.assertEqual(versions[1].revision.comment, history.BASELINE_COMMENT)
        self.assertEqual(versions[1].field_dict["title"], "Children of Heaven")

    def test_the_changes_page_shows_each_changed_field_before_and_after_escaped(self):
        self.edit(title="<script>alert(1)</script>", year="1998")
        version = self.newest_version()
        response = self.client.get(
            reverse("admin:catalog_film_changes", args=[self.film.pk, version.pk])
        )
        self.assertContains(response, "<del>Children of Heaven</del>", html=True)
        self.assertContains(response, "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>", html=True)
        self.assertContains(response, "<del>1997</del>", html=True)
        self.assertNotContains(response, "<script>alert(1)")
        # Only what changed: the tagline and the credits are not listed.
        self.assertNotContains(response, "tagline")
        self.assertNotContains(response, "Amir Farrokh Hashemian")

    def test_the_changes_page_lists_related_rows_added_and_removed(self):
        trivia = self.film.trivia_items.get()
        response = self.client.get(self.change_url)
        index = [f.instance.pk for f in _formset(response, "trivia_items").forms].index(trivia.pk)
        self.edit(**{f"trivia_items-{index}-DELETE": "on"})
        version = self.newest_version()
        response = self.client.get(
            reverse("admin:catalog_film_changes", args=[self.film.pk, version.pk])
        )
        self.assertContains(response, "Trivia: Shot in south Tehran.")
        self.assertContains(response, "Removed")

    def test_staff_revert_to_an_earlier_version_and_deleted_rows_come_back(self):
        film_page = self.film.get_absolute_url()
        self.client.get(film_page)  # cached with the original title
        response = self.client.get(self.change_url)
        credits = [f.instance.pk for f in _formset(response, "credits").forms]
        self.edit(
            title="Wrong title",
            **{f"credits-{credits.index(self.ali.pk)}-DELETE": "on"},
        )
        self.assertFalse(Credit.objects.filter(pk=self.ali.pk).exists())
        self.assertContains(self.client.get(film_page), "Wrong title")

        baseline = list(history.versions_of(self.film))[-1]
        revert_url = reverse("admin:catalog_film_revision", args=[self.film.pk, baseline.pk])
        form = self.client.get(revert_url)
        self.assertContains(form, "Children of Heaven")
        # Looking at the old version changes nothing until it is saved.
        self.assertEqual(Film.objects.get(pk=self.film.pk).title, "Wrong title")
        response = self.client.post(revert_url, form_data(form))
        self.assertEqual(response.status_code, 302)

        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual(film.title, "Children of Heaven")
        self.assertTrue(Credit.objects.filter(pk=self.ali.pk, character="Ali").exists())
        # The fans' counters are today's, not the old version's.
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 8, 1))
        # The cached film page was forgotten.
        page = self.client.get(film_page)
        self.assertContains(page, "Children of Heaven")
        self.assertContains(page, "Amir Farrokh Hashemian")
        self.assertNotContains(page, "Wrong title")
        self.assertIn("Reverted", self.newest_version().revision.comment)

    def test_a_credit_edited_on_its_own_page_is_in_the_films_history(self):
        url = reverse("admin:catalog_credit_change", args=[self.ali.pk])
        response = self.client.post(url, form_data(self.client.get(url), character="Ali Mandegar"))
        self.assertEqual(response.status_code, 302)
        version = self.newest_version()
        response = self.client.get(
            reverse("admin:catalog_film_changes", args=[self.film.pk, version.pk])
        )
        self.assertContains(response, "<del>Ali</del>", html=True)
        self.assertContains(response, "<ins>Ali Mandegar</ins>", html=True)

    def test_a_person_has_a_history_of_their_own(self):
        person = Person.objects.get(name="Amir Farrokh Hashemian")
        url = reverse("admin:catalog_person_change", args=[person.pk])
        response = self.client.post(url, form_data(self.client.get(url), biography="Born 1987."))
        self.assertEqual(response.status_code, 302)
        response = self.client.get(reverse("admin:catalog_person_history", args=[person.pk]))
        self.assertContains(response, "Changed Biography.")

    def test_fans_without_staff_rights_see_no_history(self):
        self.edit(title="Children of Paradise")
        version = self.newest_version()
        self.client.force_login(make_user())
        for url in [
            self.history_url,
            reverse("admin:catalog_film_changes", args=[self.film.pk, version.pk]),
            reverse("admin:catalog_film_revision", args=[self.film.pk, version.pk]),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_version_of_another_film_is_not_found(self):
        self.edit(title="Children of Paradise")
        other = make_film()
        version = self.newest_version()
        url = reverse("admin:catalog_film_changes", args=[other.pk, version.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("admin:catalog_film_changes", args=["<script>", 10**30])
        self.assertEqual(self.client.get(url).status_code, 404)


class BatchRevisionTests(TestCase):
    def test_a_batch_is_one_history_entry_whatever_the_number_of_rows(self):
        with history.batch_revision("Imported from IMDb"):
            films = [make_film() for _ in range(3)]
        revisions = {v.revision_id for f in films for v in history.versions_of(f)}
        self.assertEqual(len(revisions), 1)
        version = history.versions_of(films[0]).get()
        self.assertEqual(version.revision.comment, "Batch: Imported from IMDb")

    def test_counters_and_search_text_are_not_kept_in_versions(self):
        with history.batch_revision("x"):
            film = make_film(title="Kept")
        fields = history.versions_of(film).get().field_dict
        self.assertIn("title", fields)
        for name in ("rating_count", "rating_sum", "search_text", "updated_at"):
            self.assertNotIn(name, fields)
        self.assertFalse(Version.objects.get_for_model(Film).filter(serialized_data="").exists())


def _formset(response, prefix):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )


def _has_import_batches():
    try:
        apps.get_model("catalog", "ImportBatch")
    except LookupError:
        return False
    return True


@skipUnless(_has_import_batches(), "catalog.ImportBatch (the imports' model) is not here yet")
class ImportBatchesInTheHistoryTests(TestCase):
    def test_a_films_history_lists_the_import_batches_that_changed_it(self):
        ImportBatch = apps.get_model("catalog", "ImportBatch")
        staff = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw-1234567")
        film, other = make_film(), make_film()
        ImportBatch.objects.create(
            source="imdb",
            summary="IMDb titles <b>12</b>",
            previous={"catalog.Film": {str(film.pk): {"title": "Old"}}},
        )
        ImportBatch.objects.create(
            source="imdb",
            summary="Someone else's batch",
            previous={"catalog.Film": {str(other.pk): {"title": "Old"}}},
        )
        self.client.force_login(staff)
        response = self.client.get(reverse("admin:catalog_film_history", args=[film.pk]))
        self.assertContains(response, "Import batches that changed it")
        self.assertContains(response, "IMDb titles &lt;b&gt;12&lt;/b&gt;")
        self.assertNotContains(response, "Someone else")
