"""Fans suggest corrections to a film's or a person's facts with a source;
staff accept them (the change is applied through the model's validation, with
a history entry) or decline them with a reason; the fan is told on their
profile and sees every suggestion's status on a page of their own."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from catalog import history
from catalog.models import Film
from catalog.tests.admin_forms import form_data
from catalog.tests.helpers import make_film, make_person
from corrections.models import Correction
from reviews.tests.helpers import make_user, no_rate_limits

SOURCE = "https://www.example.org/children-of-heaven"


def suggestion(**changes):
    data = {
        "field": "year",
        "proposed_value": "1997",
        "explanation": "The festival premiere was in 1997.",
        "source_url": SOURCE,
    }
    return {**data, **changes}


@no_rate_limits
class CorrectionJourneyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "staffer", "staff@example.com", "a-long-random-passphrase"
        )
        cls.fan = make_user("cinephile")
        cls.film = make_film(title="Children of Heaven", slug="children-of-heaven", year=1998)
        cls.suggest_url = reverse("corrections:suggest-film", args=[cls.film.slug])

    def suggest(self, **changes):
        self.client.force_login(self.fan)
        return self.client.post(self.suggest_url, suggestion(**changes))

    def decide(self, correction, **changes):
        self.client.force_login(self.staff)
        url = reverse("admin:corrections_correction_change", args=[correction.pk])
        return self.client.post(url, form_data(self.client.get(url), **changes))

    def profile(self):
        return self.client.get(reverse("reviews:profile", args=[self.fan.username]))

    def test_the_film_and_person_pages_link_to_the_suggestion_form(self):
        self.assertContains(self.client.get(self.film.get_absolute_url()), self.suggest_url)
        person = make_person(name="Majid Majidi", slug="majid-majidi")
        self.assertContains(
            self.client.get(person.get_absolute_url()),
            reverse("corrections:suggest-person", args=[person.slug]),
        )

    def test_visitors_are_asked_to_log_in_first(self):
        response = self.client.get(self.suggest_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.client.post(self.suggest_url, suggestion())
        self.assertFalse(Correction.objects.exists())

    def test_a_correction_goes_through_the_queue_to_the_film_page_and_the_fans_profile(self):
        self.client.get(self.film.get_absolute_url())  # cached with the wrong year
        self.client.force_login(self.fan)
        form = self.client.get(self.suggest_url)
        self.assertContains(form, "Year: 1998")
        response = self.suggest()
        self.assertRedirects(response, reverse("corrections:mine"))
        correction = Correction.objects.get()
        self.assertEqual(
            (correction.author, correction.film, correction.current_value),
            (self.fan, self.film, "1998"),
        )
        self.assertContains(self.client.get(reverse("corrections:mine")), "Waiting for staff")

        # Staff find it in the queue and accept it.
        self.client.force_login(self.staff)
        queue = self.client.get(
            reverse("admin:corrections_correction_changelist"), {"status__exact": "pending"}
        )
        self.assertContains(queue, "Children of Heaven")
        response = self.decide(correction, decision="accepted")
        self.assertEqual(response.status_code, 302)

        self.assertEqual(Film.objects.get(pk=self.film.pk).year, 1997)
        correction.refresh_from_db()
        self.assertEqual(correction.status, Correction.Status.ACCEPTED)
        self.assertEqual(correction.decided_by, self.staff)
        # The change is in the film's history, noted and by the staff member.
        version = history.versions_of(self.film).first()
        self.assertEqual(version.revision.user, self.staff)
        self.assertIn("Correction accepted", version.revision.comment)
        self.client.logout()
        self.assertContains(self.client.get(self.film.get_absolute_url()), "(1997)")
        public_history = self.client.get(reverse("catalog:film-history", args=[self.film.slug]))
        self.assertContains(public_history, "<strong>Correction accepted.</strong>", html=True)
        self.assertNotContains(public_history, "staffer")

        # The fan is told on their profile, and only they see it.
        self.assertNotContains(self.profile(), "was accepted")
        self.client.force_login(self.fan)
        self.assertContains(self.profile(), "was accepted")
        self.assertContains(self.client.get(reverse("corrections:mine")), "Accepted")
        self.client.post(reverse("corrections:dismiss"))
        self.assertNotContains(self.profile(), "was accepted")

    def test_staff_decline_with_a_reason_the_fan_reads(self):
        self.suggest()
        correction = Correction.objects.get()
        response = self.decide(correction, decision="declined")
        self.assertContains(response, "Say why")
        self.assertEqual(Correction.objects.get().status, Correction.Status.PENDING)
        self.decide(correction, decision="declined", decline_reason="The <b>poster</b> says 1998.")
        correction.refresh_from_db()
        self.assertEqual(correction.status, Correction.Status.DECLINED)
        self.assertEqual(Film.objects.get(pk=self.film.pk).year, 1998)
        self.client.force_login(self.fan)
        for page in [self.profile(), self.client.get(reverse("corrections:mine"))]:
            self.assertContains(page, "The &lt;b&gt;poster&lt;/b&gt; says 1998.")

    def test_staff_cannot_accept_a_value_the_film_would_refuse(self):
        self.suggest()
        correction = Correction.objects.get()
        response = self.decide(correction, decision="accepted", proposed_value="nineteen")
        self.assertContains(response, "Not a valid year")
        self.assertEqual(Film.objects.get(pk=self.film.pk).year, 1998)
        self.assertEqual(Correction.objects.get().status, Correction.Status.PENDING)

    def test_a_decided_correction_cannot_be_decided_again(self):
        self.suggest()
        correction = Correction.objects.get()
        self.decide(correction, decision="declined", decline_reason="No.")
        self.client.force_login(self.staff)
        url = reverse("admin:corrections_correction_change", args=[correction.pk])
        self.client.post(url, {"decision": "accepted", "proposed_value": "1997"})
        self.assertEqual(Correction.objects.get().status, Correction.Status.DECLINED)
        self.assertEqual(Film.objects.get(pk=self.film.pk).year, 1998)

    def test_a_persons_name_is_corrected_the_same_way(self):
        person = make_person(name="Majid Majidy", slug="majid-majidi")
        self.client.force_login(self.fan)
        response = self.client.post(
            reverse("corrections:suggest-person", args=[person.slug]),
            suggestion(field="name", proposed_value="Majid Majidi"),
        )
        self.assertEqual(response.status_code, 302)
        self.decide(Correction.objects.get(), decision="accepted")
        person.refresh_from_db()
        self.assertEqual(person.name, "Majid Majidi")

    def test_a_choice_is_accepted_by_its_label(self):
        self.suggest(field="colour", proposed_value="black and white")
        self.decide(Correction.objects.get(), decision="accepted")
        self.assertEqual(Film.objects.get(pk=self.film.pk).colour, "black-and-white")


@no_rate_limits
class HostileSuggestionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user()
        cls.film = make_film(year=1998)
        cls.url = reverse("corrections:suggest-film", args=[cls.film.slug])

    def setUp(self):
        self.client.force_login(self.fan)

    def assertRefused(self, erring, **changes):
        response = self.client.post(self.url, suggestion(**changes))
        self.assertEqual(response.status_code, 400, changes)
        self.assertTrue(response.context["form"].errors[erring], changes)
        self.assertFalse(Correction.objects.exists())

    def test_only_web_page_sources(self):
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.org/file",
            "file:///etc/passwd",
            "https://",
            "http://exa mple.org",
            "https://example.org/" + "a" * 600,
        ]:
            with self.subTest(url=url):
                self.assertRefused("source_url", source_url=url)

    def test_values_the_fact_cannot_hold(self):
        for field, value in [
            ("year", "nineteen"),
            ("year", "99999"),
            ("year", "-1"),
            ("year", "1" * 400),
            ("runtime_minutes", "0"),
            ("colour", "<script>alert(1)</script>"),
            ("title", "x" * 301),
            ("year", "1998"),  # what the page says already
        ]:
            with self.subTest(field=field, value=value[:20]):
                self.assertRefused("proposed_value", field=field, proposed_value=value)

    def test_facts_that_are_not_offered(self):
        for field in ["slug", "rating_count", "name", "__class__", "", "<b>"]:
            with self.subTest(field=field):
                self.assertRefused("field", field=field)

    def test_huge_texts_and_nul_bytes(self):
        self.assertRefused("explanation", explanation="x" * 100_000)
        self.assertRefused("proposed_value", field="summary", proposed_value="y" * 100_000)
        response = self.client.post(self.url, suggestion(explanation="bad\x00byte"))
        self.assertIn(response.status_code, (400,))
        self.assertFalse(Correction.objects.exists())

    def test_a_hostile_text_is_kept_as_text_and_shown_escaped(self):
        staff = get_user_model().objects.create_superuser("s", "s@example.com", "pw-12345678")
        hostile = "<script>alert(1)</script>\u202e\u200b"
        response = self.client.post(
            self.url, suggestion(field="tagline", proposed_value=hostile, explanation=hostile)
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("corrections:mine"))
        self.assertNotContains(page, "<script>alert(1)")
        self.assertContains(page, "&lt;script&gt;")
        self.client.force_login(staff)
        correction = Correction.objects.get()
        admin_page = self.client.get(
            reverse("admin:corrections_correction_change", args=[correction.pk])
        )
        self.assertNotContains(admin_page, "<script>alert(1)")

    def test_unknown_film_is_not_found(self):
        url = reverse("corrections:suggest-film", args=["no-such-film"])
        self.assertEqual(self.client.get(url).status_code, 404)


@override_settings(RATE_LIMITS={"correction": (2, 3600)}, RATE_LIMITS_ENABLED=True)
class CorrectionRateLimitTests(TestCase):
    def test_suggestions_beyond_the_limit_get_a_429_and_are_not_saved(self):
        film = make_film(year=1990)
        self.client.force_login(make_user())
        url = reverse("corrections:suggest-film", args=[film.slug])
        for year in ("1991", "1992"):
            response = self.client.post(url, suggestion(proposed_value=year))
            self.assertEqual(response.status_code, 302)
        response = self.client.post(url, suggestion(proposed_value="1993"))
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Correction.objects.count(), 2)


class MyCorrectionsPageTests(TestCase):
    def test_the_same_queries_for_two_suggestions_and_for_thirty(self):
        fan = make_user()
        film = make_film(year=1990)
        person = make_person()
        for n in range(2):
            Correction.objects.create(
                author=fan,
                film=film,
                field="year",
                proposed_value=str(n),
                explanation="x",
                source_url=SOURCE,
            )
        self.client.force_login(fan)
        url = reverse("corrections:mine")
        # Session, user, count, page (each with its film or person).
        with self.assertNumQueries(4):
            self.assertEqual(len(self.client.get(url).context["corrections"]), 2)
        for n in range(28):
            Correction.objects.create(
                author=fan,
                person=person,
                field="name",
                proposed_value=str(n),
                explanation="x",
                source_url=SOURCE,
            )
        with self.assertNumQueries(4):
            self.assertEqual(len(self.client.get(url).context["corrections"]), 20)

    def test_fans_see_only_their_own(self):
        film = make_film()
        Correction.objects.create(
            author=make_user(),
            film=film,
            field="title",
            proposed_value="Someone else's",
            explanation="x",
            source_url=SOURCE,
        )
        self.client.force_login(make_user())
        self.assertNotContains(self.client.get(reverse("corrections:mine")), "Someone else")

    def test_the_database_refuses_a_correction_without_a_subject_or_a_web_source(self):
        from django.db import IntegrityError, transaction

        fan = make_user()
        film = make_film()
        for fields in [
            {},
            {"film": film, "person": make_person()},
            {"film": film, "source_url": "javascript:alert(1)"},
            {"film": film, "status": "declined"},
        ]:
            with self.subTest(fields=fields), self.assertRaises(IntegrityError):
                with transaction.atomic():
                    Correction.objects.create(
                        author=fan,
                        field="title",
                        proposed_value="x",
                        explanation="x",
                        **{"source_url": SOURCE, **fields},
                    )
