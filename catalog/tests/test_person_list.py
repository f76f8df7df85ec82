"""The people list (/people/): search by any name, filter by role."""

from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit
from core.page_cache.versions import forget_all_pages

from .helpers import make_credit, make_film, make_person

PEOPLE = reverse("catalog:person-list")


def names(response):
    return [person.name for person in response.context["people"]]


class PersonListFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        film = make_film()
        cls.actor = make_person(name="Amir Actor")
        cls.director = make_person(name="Dora Director")
        cls.editor = make_person(name="Eddie Editor")
        cls.both = make_person(name="Bea Both")
        make_person(name="Uncredited Person")
        make_credit(film, cls.actor, character="Ali", credited_as="Mir Actorzadeh")
        make_credit(film, cls.director, role=Credit.Role.CREW, job="Director")
        make_credit(film, cls.editor, role=Credit.Role.CREW, job="Editor")
        make_credit(film, cls.both, character="Herself")
        make_credit(film, cls.both, role=Credit.Role.CREW, job="Director")

    def get(self, **params):
        response = self.client.get(PEOPLE, params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_role_filter(self):
        self.assertEqual(names(self.get(role="acting")), ["Amir Actor", "Bea Both"])
        self.assertEqual(names(self.get(role="directing")), ["Bea Both", "Dora Director"])
        self.assertEqual(names(self.get(role="editing")), ["Eddie Editor"])
        self.assertEqual(
            names(self.get(role="crew")), ["Bea Both", "Dora Director", "Eddie Editor"]
        )

    def test_search_by_name_or_credited_name(self):
        self.assertEqual(names(self.get(q="dora")), ["Dora Director"])
        self.assertEqual(names(self.get(q="actorzadeh")), ["Amir Actor"])
        self.assertEqual(names(self.get(q="bea", role="acting")), ["Bea Both"])
        self.assertEqual(names(self.get(q="bea", role="editing")), [])

    def test_unknown_role_is_a_form_error_and_lists_everyone(self):
        response = self.get(role="villain")
        self.assertIn("role", response.context["filter_form"].errors)
        self.assertEqual(len(names(response)), 5)

    def test_hostile_values_answer_200(self):
        for params in [{"q": "x" * 5000}, {"q": '"*'}, {"page": "9" * 100}, {"role": "<b>"}]:
            with self.subTest(params=str(params)[:30]):
                self.assertNotContains(self.get(**params), "<b>")

    def test_filtered_list_runs_a_fixed_number_of_queries(self):
        with self.assertNumQueries(2):
            self.get(q="a", role="acting")
        for n in range(70):
            make_credit(make_film(), make_person(name=f"Amir {n}"), character="Extra")
        forget_all_pages()  # the same list, now longer: measure it cold
        with self.assertNumQueries(2):
            response = self.get(q="amir", role="acting", page="2")
        self.assertEqual(response.context["page_obj"].number, 2)
