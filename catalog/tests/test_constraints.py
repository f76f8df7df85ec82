"""The database itself refuses rows that break the catalogue's rules."""

import pytest
from django.db import DataError, IntegrityError, transaction

from catalog.models import BoxOfficeFigure, Credit, Film, Person

from .helpers import make_credit, make_film, make_person

pytestmark = pytest.mark.django_db


def refuses(create):
    # A value too long for its column is refused before any constraint is
    # checked: as a DataError on PostgreSQL, by the CHECK on SQLite.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        create()


def test_film_slugs_are_unique():
    make_film(slug="same")
    refuses(lambda: make_film(slug="same"))


def test_person_slugs_are_unique():
    make_person(slug="same")
    refuses(lambda: make_person(slug="same"))


@pytest.mark.parametrize("year", [1000, 1887, 2201, 32767])
def test_film_year_outside_cinema_history_is_refused(year):
    refuses(lambda: make_film(year=year))


@pytest.mark.parametrize("rating", ["-0.1", "10.1", "99.9"])
def test_external_rating_outside_0_to_10_is_refused(rating):
    refuses(lambda: make_film(external_rating=rating))


def test_external_rating_at_the_bounds_is_accepted():
    make_film(external_rating="0")
    make_film(external_rating="10")


def test_runtime_of_zero_minutes_is_refused():
    refuses(lambda: make_film(runtime_minutes=0))


def test_site_rating_sum_must_fit_the_count():
    refuses(lambda: make_film(rating_count=1, rating_sum=11))
    refuses(lambda: make_film(rating_count=0, rating_sum=5))


def test_the_same_credit_twice_is_refused():
    film, person = make_film(), make_person()
    make_credit(film, person, character="Ali")
    refuses(lambda: make_credit(film, person, character="Ali"))


def test_one_person_may_play_two_characters_in_one_film():
    film, person = make_film(), make_person()
    make_credit(film, person, character="Twin A")
    make_credit(film, person, character="Twin B")
    assert Credit.objects.filter(film=film, person=person).count() == 2


def test_crew_credit_needs_a_job_and_no_character():
    film = make_film()
    refuses(lambda: make_credit(film, role=Credit.Role.CREW, job=""))
    refuses(lambda: make_credit(film, role=Credit.Role.CREW, job="Director", character="Ali"))


def test_cast_credit_has_no_job():
    refuses(lambda: make_credit(make_film(), role=Credit.Role.CAST, job="Director"))


def test_unknown_role_is_refused():
    refuses(lambda: make_credit(make_film(), role="xx"))


def test_deleting_a_person_with_credits_is_refused():
    credit = make_credit(make_film())
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Person.objects.filter(pk=credit.person_id).delete()


def box_office(**fields):
    fields.setdefault("film", make_film())
    fields.setdefault("kind", BoxOfficeFigure.Kind.BUDGET)
    fields.setdefault("amount", 100)
    return BoxOfficeFigure.objects.create(**fields)


def test_negative_money_is_refused():
    refuses(lambda: box_office(amount=-1))


def test_zero_screens_is_refused():
    refuses(lambda: box_office(kind=BoxOfficeFigure.Kind.OPENING_WEEKEND, screens=0))


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", "12$", ""])
def test_currency_must_be_an_iso_4217_code(currency):
    refuses(lambda: box_office(currency=currency))


def test_unknown_box_office_kind_is_refused():
    refuses(lambda: box_office(kind="rumour"))


def test_deleting_a_film_deletes_its_credits_and_figures():
    credit = make_credit(make_film())
    box_office(film=credit.film)
    Film.objects.filter(pk=credit.film_id).delete()
    assert not Credit.objects.exists()
    assert not BoxOfficeFigure.objects.exists()


def test_any_script_works_in_titles_and_names():
    film = make_film(title="Children of Heaven", original_title="بچه‌های آسمان", slug="بچه")
    person = make_person(name="مجید مجیدی", slug="مجید-مجیدی")
    film.refresh_from_db()
    person.refresh_from_db()
    assert film.original_title == "بچه‌های آسمان"
    assert person.name == "مجید مجیدی"


CREDITS_AND_IDS = ["catalog_credit", "catalog_outsideid", "catalog_alternatetitle"]


@pytest.mark.parametrize("table", CREDITS_AND_IDS)
def test_no_index_repeats_the_start_of_another(table):
    # An import writes millions of these rows and every index is one more
    # write a row: an index whose columns begin another (or the same) index
    # serves no query that one cannot.
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        if info["index"] or info["unique"]
        if not info["primary_key"] and info["columns"]
    }
    redundant = [
        (name, other)
        for name, columns in indexed.items()
        for other, longer in indexed.items()
        if other != name and longer[: len(columns)] == columns and not constraints[name]["unique"]
    ]
    assert not redundant, f"{table}: indexes covered by another: {redundant}"
    assert indexed, "the introspection found no index at all"
