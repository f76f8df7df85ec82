"""The public History page of a film: the dates of its changes and what they
changed, newest first, never the staff who made them; cached with the film's
pages, paginated, in a fixed number of queries."""

from unittest import skipUnless

import reversion
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from catalog import history
from catalog.models import Film, Trivia

from .helpers import make_credit, make_film


def edit(film, user=None, comment="", **fields):
    """A staff edit as the admin records it: one revision by `user`, after
    keeping the film as it stood if it had no history yet."""
    history.record_baseline(Film, [film.pk])
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        for name, value in fields.items():
            setattr(film, name, value)
        film.save()


def _has_import_batches():
    try:
        apps.get_model("catalog", "ImportBatch")
    except LookupError:
        return False
    return True


class FilmHistoryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "secret-editor-name", "ed@example.com", "a-long-random-passphrase"
        )
        cls.film = make_film(title="Children of Heaven", slug="children-of-heaven", year=1997)

    def url(self, **params):
        return reverse("catalog:film-history", args=[self.film.slug])

    def test_the_film_page_links_its_history(self):
        response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, f'href="{self.url()}"')

    def test_each_change_is_listed_with_its_date_and_the_facts_it_changed(self):
        edit(self.film, self.staff, "Fixed per the <b>poster</b>", title="Children of Paradise")
        edit(self.film, self.staff, year=1998, tagline="A pair of shoes")
        with self.captureOnCommitCallbacks(execute=True):
            Trivia.objects.create(film=self.film, text="Shot in Tehran.")
            edit(self.film, self.staff)
        response = self.client.get(self.url())
        entries = response.context["entries"]
        self.assertEqual(
            [entry.summary for entry in entries],
            [
                "Added 1 trivia",
                "Changed tagline, year",
                "Changed display title",
                "First version recorded",
            ],
        )
        self.assertContains(response, "<time datetime=", count=4)

    def test_no_staff_name_or_note_is_shown(self):
        edit(self.film, self.staff, "Secret note", title="Children of Paradise")
        response = self.client.get(self.url())
        self.assertContains(response, "Changed display title")
        self.assertNotContains(response, "secret-editor-name")
        self.assertNotContains(response, "Secret note")
        self.assertNotContains(response, "ed@example.com")

    def test_a_batch_is_one_entry_labelled_with_what_it_was(self):
        with history.batch_revision("Imported from IMDb"):
            reversion.add_to_revision(self.film)
        response = self.client.get(self.url())
        self.assertContains(response, "<strong>Imported from IMDb.</strong>", html=True)

    def test_the_page_is_cached_with_the_film_and_forgotten_when_it_changes(self):
        self.assertContains(self.client.get(self.url()), "No changes recorded yet")
        with self.captureOnCommitCallbacks(execute=True):
            edit(self.film, self.staff, title="Children of Paradise")
        self.assertContains(self.client.get(self.url()), "First version recorded")

    def test_the_same_queries_for_two_entries_and_for_sixty(self):
        film = make_film()
        for n in range(2):
            edit(film, year=2000 + n)  # a baseline first: three entries
        url = reverse("catalog:film-history", args=[film.slug])
        history.versions_of(film).count()  # content types cached, as in a running site
        # Film, count, page, the next older version, the page's rows, and
        # one for each app that labels entries (corrections).
        queries = 5 + len(history._summary_providers) + _has_import_batches()
        with self.assertNumQueries(queries):
            self.assertEqual(len(self.client.get(url).context["entries"]), 3)
        many = make_film()
        make_credit(many)
        for n in range(60):
            edit(many, year=1900 + n)
        url = reverse("catalog:film-history", args=[many.slug])
        with self.assertNumQueries(queries):
            response = self.client.get(url, {"page": "2"})
        self.assertEqual(len(response.context["entries"]), 20)
        self.assertTrue(all(e.summary == "Changed year" for e in response.context["entries"]))

    def test_hostile_page_numbers_and_unknown_films(self):
        for page in ["0", "-1", "zz<'\">", "9" * 500, "\x00"]:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(self.url(), {"page": page}).status_code, 200)
        missing = reverse("catalog:film-history", args=["no-such-film"])
        self.assertEqual(self.client.get(missing).status_code, 404)

    def test_a_film_deleted_and_recovered_keeps_its_history(self):
        edit(self.film, self.staff, title="Children of Paradise")
        pk = self.film.pk
        Film.objects.filter(pk=pk).delete()
        version = history.versions_of(Film(pk=pk)).first()
        version.revision.revert()
        self.assertEqual(Film.objects.get(pk=pk).title, "Children of Paradise")
        self.assertEqual(self.client.get(self.url()).status_code, 200)


@skipUnless(_has_import_batches(), "catalog.ImportBatch (the imports' model) is not here yet")
class ImportBatchesOnTheHistoryPageTests(TestCase):
    def test_batches_that_changed_the_film_are_listed_by_source_alone(self):
        ImportBatch = apps.get_model("catalog", "ImportBatch")
        film = make_film()
        ImportBatch.objects.create(
            source="imdb",
            file="/srv/secret/title.basics.tsv.gz",
            summary="12 films changed",
            previous={"catalog.Film": {str(film.pk): {"title": "Old"}}},
        )
        response = self.client.get(reverse("catalog:film-history", args=[film.slug]))
        self.assertContains(response, "Imported from IMDb.")
        self.assertNotContains(response, "secret")
