"""What the film page shows, loaded in one place.

View → `FilmPage.build()` → template: the template only presents what the
builder loaded and asks the database nothing more. The page is cached whole
(core/page_cache), so this runs once per change of the film, not per visit.

Apps above the catalogue add their own parts to the film page and the home
page without the catalogue importing them: `register_section` takes a loader
that the page calls (reviews adds the latest reviews this way), and the
lists it needs, which come in the page's one query of lists ("also liked").
"""

from dataclasses import dataclass, field
from itertools import chain

from django.db.models import Q, prefetch_related_objects

from core.db import ShortList, ShortLists

from . import structured_data
from .images import picture_for
from .models import BoxOfficeFigure, Country, Credit, Film
from .models.credit import IN_BILLING_ORDER, PERSON_CARD_FIELDS, PERSON_LINK_FIELDS

TOP_CAST_SIZE = 12
# Films in each "More by <director>" and "More with <lead actor>" list.
RELATED_FILMS_SIZE = 6
FILM_PAGE = "film"
HOME_PAGE = "home"
_section_loaders = {FILM_PAGE: [], HOME_PAGE: []}


@dataclass
class Section:
    """A part of the film page an app provides: a template and its context.
    `json_ld_reviews` go into the page's schema.org Movie."""

    template: str
    context: dict
    json_ld_reviews: list = field(default_factory=list)


def register_section(page, lists=None):
    """Decorator: `loader(film) -> Section | None` for every fresh film page
    (page=FILM_PAGE), or `loader(None)` for the home page (HOME_PAGE), in
    the order of registration (app start-up order).

    A film page section may name `lists`, `{name: make}` as for
    FILM_PAGE_LISTS: they are fetched with the page's own lists, in its one
    query, and given to the loader as keyword arguments, `loader(film,
    name=[…])`."""
    if lists and page != FILM_PAGE:
        raise ValueError("Only film page sections can have lists")

    def decorator(loader):
        for name, make in (lists or {}).items():
            FILM_PAGE_LISTS.add(name, make)
        _section_loaders[page].append((loader, tuple(lists or ())))
        return loader

    return decorator


def load_sections(page, subject=None, lists=None):
    """The registered sections of `page`, loaded for `subject`; `lists`
    holds the fetched lists the film page's sections asked for."""
    loaded = (
        load(subject, **{name: lists[name] for name in names}) if names else load(subject)
        for load, names in _section_loaders[page]
    )
    return [section for section in loaded if section is not None]


def section_list_names():
    """The names of the lists film page sections added to FILM_PAGE_LISTS."""
    return [name for _, names in _section_loaders[FILM_PAGE] for name in names]


@dataclass
class RatingSummary:
    """The fans' rating box: counters plus the ten steps, from the film's
    columns (no query)."""

    count: int
    average: float | None
    steps: list  # [(points, count, percent of the largest step, in tens)], 10 points first

    @classmethod
    def for_film(cls, film):
        counts = [0] * 10
        # Empty until the film's first rating.
        for index, n in enumerate(film.rating_histogram[:10]):
            counts[index] = n
        largest = max(counts) or 1
        steps = [
            (points, counts[points - 1], round(counts[points - 1] * 10 / largest) * 10)
            for points in range(10, 0, -1)
        ]
        return cls(count=film.rating_count, average=film.rating_average, steps=steps)

    @property
    def steps_ascending(self):
        """Half a star first, as the bar strip reads left to right."""
        return self.steps[::-1]


@dataclass
class RelatedFilms:
    """Other films of one of this film's people: "More by" its first director
    or "More with" its lead actor."""

    heading: str  # "More by" or "More with"
    person: object  # catalog.Person (name and slug loaded)
    films: list

    @classmethod
    def of(cls, credit, heading, films):
        """None when there is nobody to follow or nothing else to show."""
        if credit is None or not films:
            return None
        return cls(heading=heading, person=credit.person, films=films)


def lead_actor(stars, top_cast):
    """The cast credit a film is known by: its first-billed star, else the
    first of its billed cast."""
    return stars[0] if stars else (top_cast[0] if top_cast else None)


def films_listing(film_ids):
    """The films whose pages may list any of `film_ids` as "More by/with":
    every other film of their directors and actors. Registered with the page
    cache's invalidation (catalog/apps.py) so that a film's new title or
    poster reaches those pages."""
    people = Credit.objects.directing_or_acting().filter(film_id__in=film_ids).values("person_id")
    return Credit.objects.filter(person_id__in=people).values_list("film_id", flat=True).distinct()


def more_by_the_director(film):
    return related_films(Film.objects.directed_by(film.credits.first_director()), film)


def more_with_the_lead_actor(film):
    return related_films(Film.objects.acted_in_by(film.credits.lead_actor()), film)


def related_films(films, film):
    """At most RELATED_FILMS_SIZE of those films but this one, newest first."""
    return ShortList(
        films.exclude(pk=film.pk),
        *Film.RELATED_ORDER,
        fields=Film.RELATED_FIELDS,
        limit=RELATED_FILMS_SIZE,
    )


# Everything the film page lists, in one query (core.db.ShortLists).
FILM_PAGE_LISTS = ShortLists(
    Film,
    headliners=lambda film: ShortList(
        film.credits.headliners(), *IN_BILLING_ORDER, related={"person": PERSON_LINK_FIELDS}
    ),
    top_cast=lambda film: ShortList(
        film.credits.cast(),
        *IN_BILLING_ORDER,
        related={"person": PERSON_CARD_FIELDS},
        limit=TOP_CAST_SIZE,
    ),
    more_by=more_by_the_director,
    more_with=more_with_the_lead_actor,
    genres=lambda film: ShortList(film.genres.all()),
    countries=lambda film: ShortList(film.countries.all()),
    languages=lambda film: ShortList(film.languages.all()),
    alternate_titles=lambda film: ShortList(film.alternate_titles.all()),
    box_office=lambda film: ShortList(
        film.box_office_figures.all(), *BoxOfficeFigure.reading_order()
    ),
    release_dates=lambda film: ShortList(film.release_dates.all()),
    filming_locations=lambda film: ShortList(film.filming_locations.all()),
    trivia=lambda film: ShortList(film.trivia_items.all()),
    stills=lambda film: ShortList(film.stills.all()),
    outside_ids=lambda film: ShortList(film.outside_ids.all()),
    outside_ratings=lambda film: ShortList(film.outside_ratings.all()),
    # The countries named by its release dates and box-office figures.
    places=lambda film: ShortList(
        Country.objects.filter(
            Q(pk__in=film.release_dates.values("country_id"))
            | Q(pk__in=film.box_office_figures.values("country_id"))
        )
    ),
)


def film_page_lists(film):
    """FILM_PAGE_LISTS of the film: the page's own lists, each with what the
    page reads of its relations (the countries of release dates and
    box-office figures, the people in the stills: one more query, only when
    there are stills), and apart from them those the sections asked for."""
    lists = FILM_PAGE_LISTS.fetch(film)
    section_lists = {name: lists.pop(name) for name in section_list_names()}
    places = {country.pk: country for country in lists.pop("places")}
    for fact in lists["release_dates"] + lists["box_office"]:
        fact.country = places.get(fact.country_id)
    for fact in chain.from_iterable(lists.values()):
        if getattr(fact, "film_id", None) == film.pk:
            fact.film = film  # as film.trivia_items.all() would have: no query to go back
    prefetch_related_objects(lists["stills"], "people")
    return lists, section_lists


@dataclass
class FilmPage:
    film: Film
    genres: list
    countries: list
    languages: list
    alternate_titles: list
    box_office: list
    release_dates: list
    filming_locations: list
    trivia: list
    stills: list
    outside_ids: list
    outside_ratings: list
    directors: list
    stars: list
    top_cast: list
    related: list  # of RelatedFilms: more by the director, more with the lead actor
    rating_summary: RatingSummary
    sections: list
    structured_data: dict

    @property
    def outline(self):
        """The one outline the page prints: the full synopsis, else the short
        summary. Printing both repeated the story twice on seeded films."""
        return self.film.synopsis or self.film.summary

    @property
    def backdrop(self):
        """The first still that has a picture, shown faintly behind the header."""
        return next((still for still in self.stills if still.image), None)

    @property
    def backdrop_url(self):
        """A small rendition (320 px WebP) of the backdrop: it is drawn blurred
        and faint, so a few kilobytes look the same as the full picture."""
        still = self.backdrop
        if still is None:
            return ""
        picture = picture_for(still.image)
        if picture is None:
            return still.image.url
        small = [rendition for rendition in picture.webp if rendition.width >= 320]
        return (small or picture.webp)[0].url

    @property
    def shown_rating(self):
        """The outside rating staff chose to show (its copy is film.external_rating)."""
        return next((rating for rating in self.outside_ratings if rating.shown), None)

    @property
    def other_ratings(self):
        return [rating for rating in self.outside_ratings if not rating.shown]

    @classmethod
    def build(cls, film, absolute):
        """Everything the film page shows, in a fixed number of queries.
        `absolute` turns a path into a full URL (request.build_absolute_uri)."""
        lists, section_lists = film_page_lists(film)
        sections = load_sections(FILM_PAGE, film, section_lists)
        headliners, top_cast = lists.pop("headliners"), lists.pop("top_cast")
        directors = [c for c in headliners if c.role == Credit.Role.CREW]
        stars = [c for c in headliners if c.role == Credit.Role.CAST]
        related = [
            RelatedFilms.of(directors[0] if directors else None, "More by", lists.pop("more_by")),
            RelatedFilms.of(lead_actor(stars, top_cast), "More with", lists.pop("more_with")),
        ]
        page = cls(
            film=film,
            **lists,
            directors=directors,
            stars=stars,
            top_cast=top_cast,
            related=[films for films in related if films is not None],
            rating_summary=RatingSummary.for_film(film),
            sections=sections,
            structured_data={},
        )
        reviews = [review for section in page.sections for review in section.json_ld_reviews]
        page.structured_data = structured_data.movie_data(page, reviews, absolute)
        return page
