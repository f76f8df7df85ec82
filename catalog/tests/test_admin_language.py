"""Staff's admin in their own words: constraint failures named on the field
to fix, a credit's role chosen by name (Director, Writer, Cast…), thumbnails
of posters, photos and stills, a film form that fits 1,366 px (the last in
tests/browser/test_screenshots.py)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from catalog.admin_display import CreditInlineForm, poster_thumbnail
from catalog.models import Credit, Still

from .helpers import make_credit, make_film, make_person
from .image_helpers import image_upload

RAW_CONSTRAINT = "credit_cast_has_character_crew_has_job"


class CreditCleanTests(TestCase):
    def setUp(self):
        self.film = make_film()
        self.person = make_person()

    def errors(self, **fields):
        credit = Credit(film=self.film, person=self.person, **fields)
        with self.assertRaises(ValidationError) as caught:
            credit.full_clean()
        return caught.exception.message_dict

    def test_crew_without_a_job_is_an_error_on_the_job_in_plain_words(self):
        errors = self.errors(role="crew", job="")
        self.assertEqual(
            errors["job"],
            ["A crew credit needs a job, such as Director, Writer or Cinematographer."],
        )
        self.assertNotIn(RAW_CONSTRAINT, str(errors))

    def test_each_broken_rule_lands_on_its_own_field(self):
        self.assertIn("character", self.errors(role="crew", job="Editor", character="Ali"))
        self.assertIn("is_star", self.errors(role="crew", job="Editor", is_star=True))
        self.assertIn("job", self.errors(role="cast", job="Director"))
        self.assertIn("job", self.errors(role="crew", job="   "))

    def test_valid_credits_pass(self):
        Credit(film=self.film, person=self.person, role="crew", job="Director").full_clean()
        Credit(film=self.film, person=self.person, role="cast", character="Ali").full_clean()


class CreditInlineFormTests(TestCase):
    def setUp(self):
        self.film = make_film()
        self.person = make_person()

    def form(self, **data):
        data.setdefault("person", self.person.pk)
        return CreditInlineForm(data, instance=Credit(film=self.film))

    def test_director_is_chosen_by_name_and_stored_as_crew_job_director(self):
        form = self.form(part="Director")
        self.assertTrue(form.is_valid(), form.errors)
        credit = form.save()
        self.assertEqual((credit.role, credit.job), ("crew", "Director"))

    def test_cast_and_other_crew_jobs(self):
        form = self.form(part="cast", character="Ali")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.save().role, "cast")
        form = self.form(part="other", job="Sound mixer")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual((form.save().role, form.instance.job), ("crew", "Sound mixer"))

    def test_other_crew_job_left_empty_says_so_on_the_job_field(self):
        form = self.form(part="other", job="")
        self.assertFalse(form.is_valid())
        self.assertEqual(
            form.errors["job"],
            ["A crew credit needs a job, such as Director, Writer or Cinematographer."],
        )
        self.assertNotIn(RAW_CONSTRAINT, str(form.errors))

    def test_a_character_on_a_director_is_an_error_on_the_character(self):
        form = self.form(part="Director", character="Ali")
        self.assertFalse(form.is_valid())
        self.assertIn("character", form.errors)

    def test_an_unknown_or_missing_role_is_a_form_error(self):
        for value in ["", "crew", "<script>", "\x00", "Director\n"]:
            with self.subTest(value=value):
                self.assertIn("part", self.form(part=value).errors)

    def test_existing_credits_show_their_role_by_name(self):
        director = make_credit(self.film, role="crew", job="Director")
        sound = make_credit(self.film, role="crew", job="Sound mixer")
        actor = make_credit(self.film, character="Ali")
        self.assertEqual(CreditInlineForm(instance=director).initial["part"], "Director")
        self.assertEqual(CreditInlineForm(instance=sound).initial["part"], "other")
        self.assertEqual(CreditInlineForm(instance=actor).initial["part"], "cast")


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)

    def test_crew_credit_without_job_shows_the_plain_error_on_the_field(self):
        film, person = make_film(), make_person()
        response = self.client.post(
            reverse("admin:catalog_credit_add"),
            {"film": film.pk, "person": person.pk, "role": "crew", "job": ""},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A crew credit needs a job")
        self.assertNotContains(response, RAW_CONSTRAINT)
        self.assertIn("job", response.context["adminform"].form.errors)

    def test_credit_inline_offers_roles_by_name(self):
        film = make_film()
        response = self.client.get(reverse("admin:catalog_film_change", args=[film.pk]))
        for label in ["Cast (actor)", "Director", "Writer", "Other crew job (type it in)"]:
            self.assertContains(response, f">{label}</option>")
        self.assertContains(response, "css/admin.css")

    def test_thumbnails_of_posters_and_stills_in_lists_and_inlines(self):
        film = make_film(title="Pictured")
        film.poster.save("poster.jpg", image_upload(size=(400, 600)))
        still = Still.objects.create(film=film, caption="A still", order=1)
        still.image.save("still.jpg", image_upload(size=(800, 450)))
        listing = self.client.get(reverse("admin:catalog_film_changelist"))
        self.assertContains(listing, 'class="admin-thumbnail"', count=1)
        change = self.client.get(reverse("admin:catalog_film_change", args=[film.pk]))
        self.assertContains(change, 'class="admin-thumbnail"', count=2)  # poster, still
        stills = self.client.get(reverse("admin:catalog_still_changelist"))
        self.assertContains(stills, 'class="admin-thumbnail"', count=1)

    def test_no_picture_is_a_dash(self):
        self.assertEqual(poster_thumbnail(make_film()), "—")
