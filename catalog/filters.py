"""The film and people list filters: plain GET forms, so every filtered view
is a shareable URL. A bad value is a form error and is left out of the
filtering; the other filters still apply."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q

from core.text import MAX_QUERY_LENGTH
from core.widgets import QuickCheckboxInput, QuickLabels, QuickSelect, QuickTextInput

from .models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Country, Credit, Film, Genre, Language, Person
from .search import filter_matching, matching_pks

# Films sorted by …: key in the URL → (label, ORDER BY). Every ordering ends
# in a unique column so pages never repeat or skip a film.
# Films without the value sorted on (no year, no rating) come last either way,
# on both databases. Each order has an index in exactly its order, nulls
# included (Film.Meta.indexes).
FILM_SORTS = {
    "title": ("Title", ["title", "year", "id"]),
    "-year": ("Newest first", [F("year").desc(nulls_last=True), "title", "id"]),
    "year": ("Oldest first", [F("year").asc(nulls_last=True), "title", "id"]),
    "-rating": (
        "Highest rated on this site",
        [F("rating_average").desc(nulls_last=True), "title", "id"],
    ),
    "-ratings": ("Most rated on this site", ["-rating_count", "title", "id"]),
    "-outside_rating": (
        "Highest rated elsewhere",
        [F("external_rating").desc(nulls_last=True), "title", "id"],
    ),
    "-outside_votes": (
        "Most votes elsewhere",
        [F("external_rating_votes").desc(nulls_last=True), "title", "id"],
    ),
    "-added": ("Recently added", ["-created_at", "-id"]),
}
DEFAULT_FILM_SORT = "title"

DECADES = [(str(year), f"{year}s") for year in range(2020, 1880 - 1, -10)]

# Minimum site rating in stars out of five (two points a star).
MIN_STARS = [("4", "4 stars and up"), ("3", "3 stars and up"), ("2", "2 stars and up")]

# Minimum number of outside votes: a rating from a handful of voters says little.
MIN_OUTSIDE_VOTES = [
    ("100", "100 or more"),
    ("1000", "1,000 or more"),
    ("10000", "10,000 or more"),
    ("100000", "100,000 or more"),
    ("1000000", "1,000,000 or more"),
]

# How many people a name in the film list's "with person" box may stand for.
MAX_PEOPLE_PER_NAME = 50


class WholeTableChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices of a small table (genres, countries, languages) read with
    one plain SELECT. Django's iterator reads them with queryset.iterator(),
    which on PostgreSQL is a server-side cursor: DECLARE … WITH HOLD, FETCH
    and CLOSE, three round trips and a cursor materialised at commit, for a
    few hundred rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class TaxonomyChoiceField(django_filters.fields.ModelChoiceField):
    iterator = WholeTableChoiceIterator


class TaxonomyFilter(django_filters.ModelChoiceFilter):
    field_class = TaxonomyChoiceField


def taxonomy_filter(label, field_name, model):
    """A genre, country or language picked by slug ("Any" when empty)."""
    return TaxonomyFilter(
        label=label,
        field_name=field_name,
        method="filter_taxonomy",
        queryset=model.objects.all(),
        to_field_name="slug",
        empty_label="Any",
        widget=QuickSelect,
    )


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_FILM_YEAR)
        kwargs.setdefault("max_value", LAST_FILM_YEAR)
        # A text box, not type=number: a filter form shows back what was typed
        # with its error, and "19x7" is not a valid value of a number input
        # (the HTML checker rejects the page).
        kwargs.setdefault(
            "widget",
            QuickTextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "size": 6}),
        )
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class OutsideRatingField(forms.DecimalField):
    """A rating out of 10 with one decimal, as outside ratings are given."""

    def __init__(self, **kwargs):
        kwargs.update(min_value=0, max_value=10, max_digits=3, decimal_places=1)
        # A text box, for the same reason as YearField.
        kwargs.setdefault(
            "widget",
            QuickTextInput(
                attrs={"inputmode": "decimal", "pattern": "[0-9]+([.][0-9])?", "size": 4}
            ),
        )
        super().__init__(**kwargs)


class OutsideRatingFilter(django_filters.NumberFilter):
    field_class = OutsideRatingField


class FilmFilterForm(QuickLabels, forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_max", "The last year is before the first year.")
        return cleaned


class FilmFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Title contains",
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=QuickTextInput,
    )
    year_min = YearFilter(field_name="year", lookup_expr="gte", label="From year")
    year_max = YearFilter(field_name="year", lookup_expr="lte", label="To year")
    decade = django_filters.ChoiceFilter(
        label="Decade",
        choices=DECADES,
        method="filter_decade",
        empty_label="Any",
        widget=QuickSelect,
    )
    genre = taxonomy_filter("Genre", "genres", Genre)
    country = taxonomy_filter("Country", "countries", Country)
    language = taxonomy_filter("Language", "languages", Language)
    person = django_filters.CharFilter(
        label="With (director or cast)",
        method="filter_person",
        widget=QuickTextInput,
        # Long enough for any person's slug (the person page links here).
        max_length=max(MAX_QUERY_LENGTH, Person._meta.get_field("slug").max_length),
    )
    min_rating = django_filters.ChoiceFilter(
        label="Site rating",
        choices=MIN_STARS,
        method="filter_min_rating",
        empty_label="Any",
        widget=QuickSelect,
    )
    min_outside_rating = OutsideRatingFilter(
        field_name="external_rating",
        lookup_expr="gte",
        label="Outside rating, at least (out of 10)",
    )
    min_outside_votes = django_filters.ChoiceFilter(
        label="Outside votes",
        choices=MIN_OUTSIDE_VOTES,
        method="filter_min_outside_votes",
        empty_label="Any",
        widget=QuickSelect,
    )
    has_reviews = django_filters.BooleanFilter(
        label="Only films with reviews", method="filter_has_reviews", widget=QuickCheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in FILM_SORTS.items()],
        method="sort_films",
        empty_label=None,
        widget=QuickSelect,
    )

    class Meta:
        model = Film
        fields = []
        form = FilmFilterForm

    def filter_text(self, queryset, name, value):
        return filter_matching(queryset, value)

    def filter_taxonomy(self, queryset, name, value):
        # EXISTS rather than a join: sorted by rating or date, SQLite walks
        # that index and checks each film, stopping after one page, instead
        # of gathering and sorting every film of a genre.
        link = Film._meta.get_field(name).remote_field.through
        target = Film._meta.get_field(name).m2m_reverse_field_name()
        return queryset.filter(
            Exists(link.objects.filter(film_id=OuterRef("pk"), **{target: value}))
        )

    def filter_decade(self, queryset, name, value):
        # Ten years rather than a range: with a range SQLite can seek only
        # on the year in the (year, rating_average) index and reads every
        # film of the decade; with ten equalities it seeks on year and then
        # on the minimum rating, so "1990s, rated 4+" reads only those films.
        start = int(value)
        return queryset.filter(year__in=range(start, start + 10))

    def filter_person(self, queryset, name, value):
        # A person's slug (the link on their page) means that person only,
        # not also the namesakes its words would find; anything else is a
        # name, matched like the search box does.
        value = value.strip()
        by_slug = Person.objects.filter(slug=value)
        people = Person.objects.filter(
            Q(slug=value)
            | (
                Q(pk__in=matching_pks(Person.objects, value, MAX_PEOPLE_PER_NAME))
                & ~Exists(by_slug)
            )
        )
        credits = Credit.objects.directing_or_acting().filter(
            film=OuterRef("pk"), person__in=people.values("pk")
        )
        return queryset.filter(Exists(credits))

    def filter_min_rating(self, queryset, name, value):
        return queryset.filter(rating_average__gte=int(value) * 2)

    def filter_min_outside_votes(self, queryset, name, value):
        return queryset.filter(external_rating_votes__gte=int(value))

    def filter_has_reviews(self, queryset, name, value):
        return queryset.filter(review_count__gt=0) if value else queryset

    def sort_films(self, queryset, name, value):
        return queryset.order_by(*FILM_SORTS[value][1])


# Roles on the people list: key in the URL → (label, credits that count).
PERSON_ROLES = {
    "acting": ("Acting", Q(role=Credit.Role.CAST)),
    "directing": ("Directing", Q(role=Credit.Role.CREW, job=Credit.DIRECTOR)),
    "writing": ("Writing", Q(role=Credit.Role.CREW, job__in=["Writer", "Screenplay"])),
    "cinematography": (
        "Cinematography",
        Q(role=Credit.Role.CREW, job__in=["Cinematographer", "Director of Photography"]),
    ),
    "editing": ("Editing", Q(role=Credit.Role.CREW, job="Editor")),
    "music": ("Music", Q(role=Credit.Role.CREW, job__in=["Composer", "Music"])),
    "producing": ("Producing", Q(role=Credit.Role.CREW, job="Producer")),
    "crew": ("Any crew job", Q(role=Credit.Role.CREW)),
}


class PersonFilterForm(QuickLabels, forms.Form):
    pass


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name", method="filter_text", max_length=MAX_QUERY_LENGTH, widget=QuickTextInput
    )
    role = django_filters.ChoiceFilter(
        label="Role",
        choices=[(key, label) for key, (label, _) in PERSON_ROLES.items()],
        method="filter_role",
        empty_label="Any role",
        widget=QuickSelect,
    )

    class Meta:
        model = Person
        fields = []
        form = PersonFilterForm

    def filter_text(self, queryset, name, value):
        return filter_matching(queryset, value)

    def filter_role(self, queryset, name, value):
        credits = Credit.objects.filter(PERSON_ROLES[value][1], person=OuterRef("pk"))
        return queryset.filter(Exists(credits))
