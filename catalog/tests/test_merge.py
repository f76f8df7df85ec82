"""Merging duplicate films and people (catalog/merge.py, reviews/merging.py,
catalog/admin_merge.py), and the warning when adding one."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, TestCase
from django.urls import reverse

from catalog import merge
from catalog.models import (
    BoxOfficeFigure,
    Credit,
    Film,
    Genre,
    OutsideId,
    OutsideRating,
    Person,
    ReleaseDate,
    SlugRedirect,
    Still,
)
from reviews import services
from reviews.models import HelpfulVote, Rating, Review

from .admin_helpers import changeform_data
from .helpers import make_credit, make_film, make_person

User = get_user_model()


def fan(name):
    return User.objects.create_user(name, f"{name}@example.com", "a-long-random-passphrase")


class FilmMergeTests(TestCase):
    def setUp(self):
        self.keep = make_film(title="Heat", slug="heat-1995", year=1995)
        self.dupe = make_film(
            title="Heat (director's cut)", slug="heat-dc", year=1995, runtime_minutes=170
        )

    def merged(self, dry_run=False):
        with self.captureOnCommitCallbacks(execute=True):
            report = merge.merge_films(self.keep, [self.dupe], dry_run=dry_run)
        if not dry_run:
            self.keep.refresh_from_db()
        return report

    def test_facts_credits_and_genres_move_and_shared_ones_are_kept_once(self):
        drama, crime = (
            Genre.objects.create(name="Drama", slug="drama"),
            Genre.objects.create(name="Crime", slug="crime"),
        )
        self.keep.genres.add(drama)
        self.dupe.genres.add(drama, crime)
        pacino = make_person(name="Al Pacino")
        make_credit(self.keep, pacino, character="Vincent Hanna")
        make_credit(self.dupe, pacino, character="Vincent Hanna")
        make_credit(self.dupe, make_person(name="Robert De Niro"), character="Neil McCauley")
        BoxOfficeFigure.objects.create(film=self.dupe, kind="gross", amount=187_436_818)
        ReleaseDate.objects.create(film=self.dupe, date=datetime.date(1995, 12, 15))
        Still.objects.create(film=self.dupe, caption="The diner")
        report = self.merged()
        self.assertFalse(Film.objects.filter(pk=self.dupe.pk).exists())
        self.assertEqual(
            sorted(self.keep.genres.values_list("name", flat=True)), ["Crime", "Drama"]
        )
        self.assertEqual(self.keep.credits.count(), 2)
        self.assertEqual(self.keep.box_office_figures.get().amount, 187_436_818)
        self.assertEqual(self.keep.release_dates.count(), 1)
        self.assertEqual(self.keep.stills.get().caption, "The diner")
        lines = " ".join(report.lines())
        self.assertIn("1 credits the one kept already has are dropped", lines)
        self.assertIn("1 genres the one kept already has are dropped", lines)

    def test_the_duplicates_title_becomes_an_alternate_title_and_blanks_are_filled(self):
        self.merged()
        self.assertEqual(
            list(self.keep.alternate_titles.values_list("title", flat=True)),
            ["Heat (director's cut)"],
        )
        self.assertEqual(self.keep.runtime_minutes, 170)
        self.assertIn("director", self.keep.search_text)

    def test_a_fan_who_rated_both_keeps_their_later_rating_and_the_counters_stay_exact(self):
        both, only_dupe, only_keep = fan("both"), fan("dupe"), fan("keep")
        services.set_rating(both, self.keep, 4)
        services.set_rating(both, self.dupe, 9)  # later: this one is kept
        services.set_rating(only_dupe, self.dupe, 6)
        services.set_rating(only_keep, self.keep, 10)
        self.merged()
        self.assertEqual(Rating.objects.get(user=both).points, 9)
        self.assertEqual(Rating.objects.filter(film=self.keep).count(), 3)
        self.assertEqual((self.keep.rating_count, self.keep.rating_sum), (3, 25))
        histogram = [0] * 10
        for points in [9, 6, 10]:
            histogram[points - 1] += 1
        self.assertEqual(self.keep.rating_histogram, histogram)

    def test_a_fan_who_reviewed_both_keeps_the_later_review_with_their_kept_stars(self):
        critic, voter = fan("critic"), fan("voter")
        older = services.save_review(
            Review(film=self.keep, author=critic, title="First look", body="Fine."), points=6
        )
        later = services.save_review(
            Review(film=self.dupe, author=critic, title="Second look", body="Better."), points=8
        )
        services.vote_helpful(voter, older)
        imported = services.save_review(
            Review(film=self.dupe, author_name="Ollie", title="Imported", body="Great."),
            points=10,
        )
        self.merged()
        self.assertEqual(
            sorted(Review.objects.filter(film=self.keep).values_list("title", flat=True)),
            ["Imported", "Second look"],
        )
        self.assertFalse(HelpfulVote.objects.exists())  # went with the dropped review
        rating = Rating.objects.get(user=critic)
        self.assertEqual((rating.points, rating.review_id), (8, later.pk))
        self.assertEqual(Rating.objects.get(review=imported).points, 10)
        self.assertEqual((self.keep.review_count, self.keep.rating_count), (2, 2))
        self.assertEqual(self.keep.rating_sum, 18)

    def test_outside_ids_move_the_shown_rating_stays_and_the_old_address_redirects(self):
        OutsideId.objects.create(value="tt0113277", film=self.keep)
        OutsideId.objects.create(value="tt9999999", film=self.dupe)
        OutsideRating.objects.create(
            film=self.keep, source="imdb", value=8.3, votes=700_000, shown=True
        )
        OutsideRating.objects.create(film=self.dupe, source="imdb", value=8.0, votes=10, shown=True)
        OutsideRating.objects.create(
            film=self.dupe, source="fan-page", value=9.0, votes=3, shown=False
        )
        self.merged()
        self.assertEqual(
            sorted(self.keep.outside_ids.values_list("value", flat=True)),
            ["tt0113277", "tt9999999"],
        )
        ratings = {r.source: (r.value, r.shown) for r in self.keep.outside_ratings.all()}
        self.assertEqual(ratings["imdb"][1], True)
        self.assertEqual(float(ratings["imdb"][0]), 8.3)
        self.assertEqual(ratings["fan-page"][1], False)
        self.assertEqual(float(self.keep.external_rating), 8.3)
        self.assertEqual(SlugRedirect.objects.target("film", "heat-dc"), self.keep)
        response = self.client.get(reverse("catalog:film-detail", args=["heat-dc"]))
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], self.keep.get_absolute_url())

    def test_a_dry_run_reports_and_changes_nothing(self):
        services.set_rating(fan("someone"), self.dupe, 7)
        make_credit(self.dupe, character="Extra")
        report = self.merged(dry_run=True)
        self.assertIn("1 ratings move to the one kept.", report.lines())
        self.assertIn("1 credits move to the one kept.", report.lines())
        self.assertTrue(Film.objects.filter(pk=self.dupe.pk).exists())
        self.assertEqual(Rating.objects.get().film_id, self.dupe.pk)
        self.keep.refresh_from_db()
        self.assertEqual(self.keep.rating_count, 0)

    def test_merging_a_film_into_itself_is_refused(self):
        with self.assertRaises(ValueError):
            merge.merge_films(self.keep, [self.keep])


class PersonMergeTests(TestCase):
    def test_credits_move_and_keep_the_old_name_as_credited_as(self):
        keep = make_person(name="Majid Majidi", slug="majid-majidi")
        dupe = make_person(name="Majid Majdi", slug="majid-majdi")
        film, other = make_film(), make_film()
        make_credit(film, dupe, role=Credit.Role.CREW, job="Director")
        make_credit(other, dupe, role=Credit.Role.CREW, job="Writer", credited_as="M. Majidi")
        make_credit(other, keep, role=Credit.Role.CREW, job="Director")
        make_credit(other, dupe, role=Credit.Role.CREW, job="Director")  # the same credit twice
        still = Still.objects.create(film=film, caption="On set")
        still.people.add(keep, dupe)
        with self.captureOnCommitCallbacks(execute=True):
            report = merge.merge_people(keep, [dupe])
        self.assertFalse(Person.objects.filter(pk=dupe.pk).exists())
        credits = {(c.film_id, c.job): c.credited_as for c in keep.credits.all()}
        self.assertEqual(
            credits,
            {
                (film.pk, "Director"): "Majid Majdi",
                (other.pk, "Writer"): "M. Majidi",
                (other.pk, "Director"): "",
            },
        )
        self.assertEqual(list(still.people.all()), [keep])
        keep.refresh_from_db()
        self.assertIn("majdi", keep.search_text)
        self.assertIn("1 credits the one kept already has are dropped.", report.lines())
        self.assertEqual(SlugRedirect.objects.target("person", "majid-majdi"), keep)


class AdminMergeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = User.objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)
        self.a = make_film(title="Heat", slug="heat-a", year=1995)
        self.b = make_film(title="Heat", slug="heat-b", year=1995)
        services.set_rating(fan("rater"), self.b, 8)
        self.url = reverse("admin:catalog_film_changelist")

    def action(self, client=None, **extra):
        data = {"action": "merge_selected", "_selected_action": [self.a.pk, self.b.pk], **extra}
        return (client or self.client).post(self.url, data)

    def test_the_action_asks_which_to_keep_and_shows_what_would_happen(self):
        response = self.action()
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "catalog/admin/merge_confirmation.html")
        self.assertContains(response, "1 ratings move to the one kept.")
        self.assertContains(response, "<legend>Which one is kept?</legend>", html=True)
        self.assertTrue(Film.objects.filter(pk=self.b.pk).exists())

    def test_the_dry_run_retires_no_cached_page(self):
        from core.page_cache import versions

        before = versions.current([versions.EVERYTHING, "film:heat-a", "lists"])
        self.action()
        self.assertEqual(versions.current([versions.EVERYTHING, "film:heat-a", "lists"]), before)

    def test_choosing_another_film_to_keep_shows_its_dry_run(self):
        response = self.action(keep=self.b.pk, preview="1")
        self.assertContains(response, "Merging into Heat (1995)")
        self.assertNotContains(response, "ratings move")
        self.assertEqual(Film.objects.count(), 2)

    def test_confirming_merges_and_redirects_to_the_one_kept(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.action(keep=self.a.pk, post="yes")
        self.assertRedirects(response, reverse("admin:catalog_film_change", args=[self.a.pk]))
        self.assertFalse(Film.objects.filter(pk=self.b.pk).exists())
        self.a.refresh_from_db()
        self.assertEqual(self.a.rating_count, 1)

    def test_one_film_selected_is_not_a_merge(self):
        response = self.client.post(
            self.url, {"action": "merge_selected", "_selected_action": [self.a.pk]}, follow=True
        )
        self.assertContains(response, "Select two or more to merge.")

    def test_a_bogus_keep_choice_is_an_error_not_a_crash(self):
        response = self.action(keep="999999", post="yes")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Film.objects.count(), 2)
        response = self.action(keep="not-a-number", post="yes")
        self.assertEqual(response.status_code, 200)

    def test_staff_without_delete_permission_are_not_offered_the_action(self):
        editor = User.objects.create_user(
            "limited", password="a-long-random-passphrase", is_staff=True
        )
        editor.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_film", "change_film"])
        )
        client = Client()
        client.force_login(editor)
        self.assertNotContains(client.get(self.url), "merge_selected")
        self.action(client=client, keep=self.a.pk, post="yes")
        self.assertEqual(Film.objects.count(), 2)

    def test_the_merge_post_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        self.assertEqual(self.action(client=client, keep=self.a.pk, post="yes").status_code, 403)
        self.assertEqual(Film.objects.count(), 2)

    def test_people_are_merged_from_their_list_too(self):
        keep, dupe = make_person(name="Amir Farrokh Hashemian"), make_person(name="Amir Hashemian")
        response = self.client.post(
            reverse("admin:catalog_person_changelist"),
            {
                "action": "merge_selected",
                "_selected_action": [keep.pk, dupe.pk],
                "keep": keep.pk,
                "post": "yes",
            },
        )
        self.assertRedirects(response, reverse("admin:catalog_person_change", args=[keep.pk]))
        self.assertFalse(Person.objects.filter(pk=dupe.pk).exists())


class DuplicateWarningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = User.objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)
        self.existing = make_film(title="Amélie", slug="amelie-2001", year=2001)

    def add_film(self, **fields):
        url = reverse("admin:catalog_film_add")
        data = changeform_data(self.client.get(url))
        data.update(fields)
        return self.client.post(url, data)

    def test_adding_a_film_with_the_same_title_and_year_warns_with_a_link(self):
        response = self.add_film(title="Amelie", slug="amelie-again", year="2001")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The catalogue already has")
        self.assertContains(response, reverse("admin:catalog_film_change", args=[self.existing.pk]))
        self.assertFalse(Film.objects.filter(slug="amelie-again").exists())

    def test_ticking_add_anyway_adds_it(self):
        response = self.add_film(title="Amelie", slug="amelie-again", year="2001", add_anyway="on")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Film.objects.filter(slug="amelie-again").exists())

    def test_another_year_is_no_duplicate(self):
        response = self.add_film(title="Amélie", slug="amelie-remake", year="2031")
        self.assertNotContains(response, "The catalogue already has", status_code=200)

    def test_the_warning_is_only_on_the_add_page(self):
        make_film(title="Amélie", slug="amelie-other", year=2001)
        url = reverse("admin:catalog_film_change", args=[self.existing.pk])
        response = self.client.get(url)
        self.assertNotContains(response, "add_anyway")
        self.assertEqual(self.client.post(url, changeform_data(response)).status_code, 302)

    def test_adding_a_person_with_a_known_name_warns(self):
        make_person(name="Majid Majidi", slug="majid-majidi")
        url = reverse("admin:catalog_person_add")
        data = changeform_data(self.client.get(url))
        data.update(name="MAJID MAJIDI", slug="majid-majidi-2")
        self.assertContains(self.client.post(url, data), "The catalogue already has")
        data["add_anyway"] = "on"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(Person.objects.filter(name__iexact="majid majidi").count(), 2)
