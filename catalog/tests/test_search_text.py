"""A person's folded search text follows their credits: every name they were
credited as finds them, and only them (catalog/search/hooks.py)."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit, Person
from core.text import fold

from .helpers import make_credit, make_film, make_person


def found_by(query):
    """People whose stored search text holds every folded word of the query.

    Read off the text itself rather than through Person.objects.search():
    on PostgreSQL trigram similarity also finds "Kamal Mirkarimi" for "mir
    karimi" by his own name, which would hide what these tests check.
    """
    words = fold(query).split()
    return [
        person.name
        for person in Person.objects.order_by("name")
        if set(words) <= set(person.search_text.split())
    ]


class CreditedAsNameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven", year=1997)
        cls.right = make_person(name="Kamal Mirkarimi")
        cls.wrong = make_person(name="Amir Naji")

    def test_moving_a_credit_to_another_person_moves_its_credited_as_name(self):
        credit = make_credit(self.film, self.wrong, character="Teacher", credited_as="Mir Karimi")
        self.assertEqual(found_by("mir karimi"), ["Amir Naji"])
        credit.person = self.right
        credit.save()
        self.assertEqual(found_by("mir karimi"), ["Kamal Mirkarimi"])
        self.wrong.refresh_from_db()
        self.assertNotIn("karimi", self.wrong.search_text)

    def test_a_name_credited_twice_stays_with_the_person_who_keeps_one_credit(self):
        make_credit(self.film, self.wrong, character="Teacher", credited_as="Mir Karimi")
        moved = make_credit(self.film, self.wrong, character="Driver", credited_as="Mir Karimi")
        moved.person = self.right
        moved.save()
        self.assertEqual(sorted(found_by("mir karimi")), ["Amir Naji", "Kamal Mirkarimi"])

    def test_deleting_a_credit_forgets_its_credited_as_name(self):
        credit = make_credit(self.film, self.right, character="Teacher", credited_as="Mir Karimi")
        Credit.objects.filter(pk=credit.pk).delete()
        self.assertEqual(found_by("mir karimi"), [])
        self.assertEqual(found_by("mirkarimi"), ["Kamal Mirkarimi"])

    def test_deleting_a_film_forgets_the_names_of_its_credits(self):
        other = make_film(title="Other", year=2000)
        make_credit(other, self.right, character="Teacher", credited_as="K. M. Karimi")
        other.delete()
        self.assertEqual(found_by("k m karimi"), [])

    def test_moving_a_credit_in_the_admin_refreshes_both_people(self):
        credit = make_credit(self.film, self.wrong, character="Teacher", credited_as="Mir Karimi")
        staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )
        self.client.force_login(staff)
        response = self.client.post(
            reverse("admin:catalog_credit_change", args=[credit.pk]),
            {
                "film": self.film.pk,
                "person": self.right.pk,
                "role": "cast",
                "job": "",
                "character": "Teacher",
                "credited_as": "Mir Karimi",
                "billing_order": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(found_by("mir karimi"), ["Kamal Mirkarimi"])
