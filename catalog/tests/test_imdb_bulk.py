"""catalog.imdb.bulk: ids chosen before the rows are written, on both databases."""

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from catalog.imdb import bulk
from catalog.models import Credit, Person

from .helpers import make_credit, make_film, make_person


class ReserveIdsTests(TestCase):
    def test_reserved_ids_are_new_distinct_and_never_handed_out_again(self):
        existing = make_person(name="Majid Majidi").pk
        with connection.cursor() as cursor:
            ids = bulk.reserve_ids(cursor, Person, 1200)
        self.assertEqual(len(set(ids)), 1200)
        self.assertGreater(min(ids), existing)
        now = timezone.now()
        table = bulk.Table(Person, {"id", "name", "slug", "created_at", "updated_at"})
        rows = [
            {
                "id": pk,
                "name": f"Person {pk}",
                "slug": f"p-{pk}",
                "created_at": now,
                "updated_at": now,
            }
            for pk in ids
        ]
        with connection.cursor() as cursor:
            # SQLite reserves past the largest id: the rows must be written.
            table.insert(cursor, [table.row(row) for row in rows])
        # The next row the site makes takes an id past them.
        later = make_person(name="Amir Farrokh Hashemian")
        self.assertNotIn(later.pk, ids)
        self.assertEqual(Person.objects.count(), 1202)

    def test_each_table_has_its_own_sequence_and_none_is_asked_for_nothing(self):
        film, person = make_film(title="Children of Heaven", year=1997), make_person(name="Ali")
        credit = make_credit(film, person, character="Ali")
        with connection.cursor() as cursor:
            self.assertEqual(bulk.reserve_ids(cursor, Credit, 0), [])
            credit_ids = bulk.reserve_ids(cursor, Credit, 3)
        self.assertEqual(len(set(credit_ids)), 3)
        self.assertGreater(min(credit_ids), credit.pk)
