from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit, Film

from .helpers import make_credit, make_film, make_person


class AdminAccessTests(TestCase):
    fixtures = ["children-of-heaven"]

    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(reverse("admin:catalog_film_changelist"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_fans_without_staff_status_are_turned_away(self):
        fan = get_user_model().objects.create_user("fan", password="a-long-random-passphrase")
        self.client.force_login(fan)
        response = self.client.get(reverse("admin:catalog_film_changelist"))
        self.assertEqual(response.status_code, 302)

    def test_staff_see_every_catalogue_change_list_and_the_film_form(self):
        self.client.force_login(self.staff)
        for model in ["film", "person", "credit", "boxofficefigure", "still", "genre", "country"]:
            with self.subTest(model=model):
                url = reverse(f"admin:catalog_{model}_changelist")
                self.assertEqual(self.client.get(url, {"q": "Heaven"}).status_code, 200)
        film = Film.objects.get(slug="children-of-heaven-1997")
        response = self.client.get(reverse("admin:catalog_film_change", args=[film.pk]))
        self.assertContains(response, "Bacheha-Ye aseman")
        self.assertContains(response, "Box-office figures")
        self.assertContains(response, "View on site")
        self.assertEqual(
            self.client.get(reverse("admin:reviews_review_changelist")).status_code, 200
        )

    def test_person_autocomplete_finds_people_by_name(self):
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "term": "Seddiqi",
                "app_label": "catalog",
                "model_name": "credit",
                "field_name": "person",
            },
        )
        self.assertEqual(response.json()["results"][0]["text"], "Bahare Seddiqi")

    def test_staff_edit_the_film_and_add_a_credit_through_the_form(self):
        self.client.force_login(self.staff)
        film = make_film(title="Draft", slug="draft", year=2001)
        person = make_person(name="New Actor")
        make_credit(film, make_person(), character="Existing")
        url = reverse("admin:catalog_film_change", args=[film.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: form[name].value() or "" for name in form.fields}
        data.update({"title": "Final title", "year": "2002", "genres": [], "countries": []})
        data.update({"languages": [], "use_outside_values": []})
        for prefix, total in [
            ("outside_ids", 0),
            ("outside_ratings", 0),
            ("credits", 1),
            ("alternate_titles", 0),
            ("box_office_figures", 0),
            ("release_dates", 0),
            ("filming_locations", 0),
            ("trivia_items", 0),
            ("stills", 0),
        ]:
            data[f"{prefix}-TOTAL_FORMS"] = str(total + (1 if prefix == "credits" else 0))
            data[f"{prefix}-INITIAL_FORMS"] = str(total)
        existing = film.credits.get()
        data.update(
            {
                "credits-0-id": existing.pk,
                "credits-0-film": film.pk,
                "credits-0-person": existing.person_id,
                "credits-0-part": "cast",
                "credits-0-character": "Existing",
                "credits-1-film": film.pk,
                "credits-1-person": person.pk,
                "credits-1-part": "cast",
                "credits-1-character": "Newcomer",
                "credits-1-billing_order": "2",
            }
        )
        data = {key: value for key, value in data.items() if value is not None}
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code, 302, response.context and response.context.get("errors")
        )
        film.refresh_from_db()
        self.assertEqual((film.title, film.year), ("Final title", 2002))
        self.assertTrue(
            Credit.objects.filter(film=film, person=person, character="Newcomer").exists()
        )

    def test_bad_values_in_the_admin_form_are_errors_not_crashes(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("admin:catalog_film_add"),
            {"title": "x" * 1000, "slug": "bad slug!", "year": "99999", "external_rating": "11"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Film.objects.filter(title__startswith="xxx").exists())
