"""What each write makes stale: the one table from rows to page families.

Page families (the pages' keys include their versions, see versions.py):

| family              | pages                                                  |
|---------------------|--------------------------------------------------------|
| `lists`             | home, film and people lists, search, genre/country/... |
| `film:<slug>`       | a film's page, its cast page and its review list       |
| `person:<slug>`     | a person's page                                        |
| `review:<pk>`       | a review's permalink                                   |
| `fan:<username>`    | a fan's public pages (reviews, ratings, diary, lists…) |
| `film-list:<token>` | a fan's film list (diary app)                          |

Signals mark what a saved or deleted row touches (`RULES` below, by model
label: core imports no app, so the rules read only the row's own fields and
look further rows up by label). Marks gather for the whole transaction and
are resolved and written once, after the commit: a rating post or an admin
save with twenty inlines bumps each family once, with a few queries. Writes
that send no signal (queryset `update()`, `bulk_create()`) call `touch()` for
the rows they changed; a bulk job calls `invalidate_everything()` once.

Tests never commit (Django's TestCase rolls back): conftest.py flushes the
marks a request made when it finishes, as the commit inside it would have,
and a test that writes outside a request says so with Django's
`captureOnCommitCallbacks(execute=True)`.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import versions

logger = logging.getLogger(__name__)

LISTS = "lists"


def film_family(slug):
    return f"film:{slug}"


def person_family(slug):
    return f"person:{slug}"


def review_family(pk):
    return f"review:{pk}"


def fan_family(username):
    return f"fan:{username}"


def film_list_family(token):
    return f"film-list:{token}"


@dataclass
class Marks:
    """What the current transaction has changed, resolved to families at commit."""

    families: set = field(default_factory=set)
    film_ids: set = field(default_factory=set)
    person_ids: set = field(default_factory=set)
    # Films whose people's pages show them (a title or year changed), and
    # people whose films' pages show them (a name changed).
    people_of_film_ids: set = field(default_factory=set)
    films_of_person_ids: set = field(default_factory=set)
    # Films whose pages list these films among their related films (a title,
    # year or poster changed): see register_related_films().
    related_of_film_ids: set = field(default_factory=set)
    review_ids: set = field(default_factory=set)
    user_ids: set = field(default_factory=set)
    # Fans whose name shows on their reviews' pages.
    reviews_of_user_ids: set = field(default_factory=set)
    # Slugs and names the writer already had at hand ({id: slug}): the ids
    # above that they cover need no look-up at the commit.
    film_slugs: dict = field(default_factory=dict)
    usernames: dict = field(default_factory=dict)

    def __bool__(self):
        return any(bool(value) for value in vars(self).values())


_local = threading.local()

# Functions `finder(film_ids) -> film ids` naming the films whose pages show
# these films as related ("More by…", "Fans who liked this also liked"). The
# apps that draw those lists register them (core knows none of them).
_related_film_finders = []


def register_related_films(finder):
    """Register `finder(film_ids)`: the ids of films whose pages list any of
    `film_ids` as a related film. Used as a decorator at app start-up."""
    if finder not in _related_film_finders:
        _related_film_finders.append(finder)
    return finder


def _marks():
    marks = getattr(_local, "marks", None)
    if marks is None:
        marks = _local.marks = Marks()
    return marks


def mark(**changes):
    """Note what changed (families=, film_ids=, person_ids=, …: see Marks);
    the families are bumped once, after the current transaction commits."""
    marks = _marks()
    for name, values in changes.items():
        known = getattr(marks, name)
        if isinstance(known, dict):
            known.update(values)
        else:
            known.update(v for v in values if v is not None)
    # One callback per mark, but the first to run takes every mark and the
    # rest find nothing left: the work happens once per transaction.
    transaction.on_commit(flush, robust=True)


def touch(label, pks):
    """Rows of `label` ("app.Model") changed without a signal (update(),
    bulk_create()): mark what their pages are, as a save would."""
    instances = apps.get_model(label).objects.filter(pk__in=list(pks))
    for instance in instances:
        RULES[label](instance)


def invalidate_everything():
    """Retire every cached page, once the transaction commits (bulk jobs)."""
    mark(families=[versions.EVERYTHING])


def discard():
    """Forget the pending marks (tests: what their set-up wrote)."""
    _local.marks = Marks()


def flush():
    """Resolve the pending marks to families and bump them, in one write."""
    marks = getattr(_local, "marks", None)
    if not marks:
        return
    _local.marks = Marks()
    try:
        versions.bump(_families(marks))
    except Exception:
        # The write is committed; a cache that cannot be written must not
        # turn it into an error page. Pages expire within a day regardless.
        logger.exception("Cached pages could not be invalidated")


def _families(marks):
    Film = apps.get_model("catalog", "Film")
    Person = apps.get_model("catalog", "Person")
    Credit = apps.get_model("catalog", "Credit")
    families = set(marks.families)
    person_ids = set(marks.person_ids)
    film_ids = set(marks.film_ids)
    if marks.people_of_film_ids:
        person_ids.update(
            Credit.objects.filter(film_id__in=marks.people_of_film_ids).values_list(
                "person_id", flat=True
            )
        )
    if marks.films_of_person_ids:
        film_ids.update(
            Credit.objects.filter(person_id__in=marks.films_of_person_ids).values_list(
                "film_id", flat=True
            )
        )
    if marks.reviews_of_user_ids and apps.is_installed("reviews"):
        Review = apps.get_model("reviews", "Review")
        for pk, film_id in Review.objects.filter(
            author_id__in=marks.reviews_of_user_ids
        ).values_list("pk", "film_id"):
            families.add(review_family(pk))
            film_ids.add(film_id)
    if marks.related_of_film_ids:
        for finder in _related_film_finders:
            film_ids.update(finder(marks.related_of_film_ids))
    families.update(film_family(slug) for slug in marks.film_slugs.values())
    film_ids -= marks.film_slugs.keys()
    if film_ids:
        families.update(
            film_family(slug)
            for slug in Film.objects.filter(pk__in=film_ids).values_list("slug", flat=True)
        )
    if person_ids:
        families.update(
            person_family(slug)
            for slug in Person.objects.filter(pk__in=person_ids).values_list("slug", flat=True)
        )
    families.update(review_family(pk) for pk in marks.review_ids)
    families.update(fan_family(name) for name in marks.usernames.values())
    user_ids = marks.user_ids - marks.usernames.keys()
    if user_ids:
        User = apps.get_model(_user_model_label())
        families.update(
            fan_family(name)
            for name in User.objects.filter(pk__in=user_ids).values_list(
                User.USERNAME_FIELD, flat=True
            )
        )
    return families


def _user_model_label():
    from django.conf import settings

    return settings.AUTH_USER_MODEL


# The rules: what a saved or deleted row of each model marks.


def _film(film):
    old = getattr(film, "_slug_before_save", None)
    mark(
        families=[LISTS, film_family(film.slug), old and film_family(old)],
        people_of_film_ids=[film.pk],
        related_of_film_ids=[film.pk],
    )


def _person(person):
    old = getattr(person, "_slug_before_save", None)
    mark(
        families=[LISTS, person_family(person.slug), old and person_family(old)],
        films_of_person_ids=[person.pk],
    )


def _credit(credit):
    # Film cards name their directors, so the lists change too; the person's
    # other films list this one as "More by/with" them.
    mark(
        families=[LISTS],
        film_ids=[credit.film_id],
        person_ids=[credit.person_id],
        films_of_person_ids=[credit.person_id],
    )


def _film_fact(fact):
    mark(film_ids=[fact.film_id])


def _searchable_film_fact(fact):
    # Alternate titles are searched: the search page is one of the lists.
    mark(families=[LISTS], film_ids=[fact.film_id])


def _outside_id(outside_id):
    # Shown as a link on the film's or the person's page.
    mark(film_ids=[outside_id.film_id], person_ids=[outside_id.person_id])


def _outside_rating(rating):
    # The shown one is copied to the film, which lists sort and filter on.
    mark(families=[LISTS], film_ids=[rating.film_id])


def _still(still):
    mark(film_ids=[still.film_id], person_ids=getattr(still, "_people_before_delete", ()))


def _taxonomy(item):
    film_ids = getattr(item, "_film_ids_before_delete", None)
    if film_ids is None:
        film_ids = item.films.values_list("pk", flat=True)
    mark(families=[LISTS], film_ids=film_ids)


def _rating(rating):
    # Film cards and the home page show ratings.
    mark(families=[LISTS], film_ids=[rating.film_id], user_ids=[rating.user_id])


def _review(review):
    mark(
        families=[LISTS, review_family(review.pk)],
        film_ids=[review.film_id],
        user_ids=[review.author_id],
    )


def _helpful_vote(vote):
    Review = apps.get_model("reviews", "Review")
    film_id = Review.objects.filter(pk=vote.review_id).values_list("film_id", flat=True).first()
    mark(families=[review_family(vote.review_id)], film_ids=[film_id])


def _user(user):
    old = getattr(user, "_username_before_save", None)
    mark(
        families=[fan_family(user.get_username()), old and fan_family(old)],
        reviews_of_user_ids=[user.pk],
    )


def _watchlist_or_diary_entry(entry):
    # The fan's watchlist and diary pages and their profile's counts.
    mark(user_ids=[entry.user_id])


def _film_list(film_list):
    # Its page and the owner's lists; films' "In N public lists" are marked
    # by the diary app's services when the visibility changes (a list's
    # entries mark their films themselves).
    mark(families=[film_list_family(film_list.token)], user_ids=[film_list.owner_id])


def _list_entry(entry):
    # entry.film_list is at hand in the diary's services (one query in the admin).
    mark(families=[film_list_family(entry.film_list.token)], film_ids=[entry.film_id])


def _follow(follow):
    # Both fans' profiles count follows.
    mark(user_ids=[follow.follower_id, follow.followed_id])


def _like(like):
    if like.review_id is not None:
        mark(families=[review_family(like.review_id)])
    else:
        _film_list(like.film_list)


RULES = {
    "catalog.Film": _film,
    "catalog.Person": _person,
    "catalog.Credit": _credit,
    "catalog.AlternateTitle": _searchable_film_fact,
    "catalog.BoxOfficeFigure": _film_fact,
    "catalog.ReleaseDate": _film_fact,
    "catalog.FilmingLocation": _film_fact,
    "catalog.Trivia": _film_fact,
    "catalog.Still": _still,
    "catalog.OutsideId": _outside_id,
    "catalog.OutsideRating": _outside_rating,
    "catalog.Genre": _taxonomy,
    "catalog.Country": _taxonomy,
    "catalog.Language": _taxonomy,
    "reviews.Rating": _rating,
    "reviews.Review": _review,
    "reviews.HelpfulVote": _helpful_vote,
    "diary.WatchlistEntry": _watchlist_or_diary_entry,
    "diary.DiaryEntry": _watchlist_or_diary_entry,
    "diary.FilmList": _film_list,
    "diary.ListEntry": _list_entry,
    "diary.Follow": _follow,
    "diary.Like": _like,
}

# Many-to-many links whose changes show on pages (see _links_changed).
M2M_RULES = [
    ("catalog.Film", "genres"),
    ("catalog.Film", "countries"),
    ("catalog.Film", "languages"),
    ("catalog.Still", "people"),
]


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if sender is apps.get_model(_user_model_label()):
        # A login only touches last_login, which no page shows.
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return
        _user(instance)
        return
    RULES[sender._meta.label](instance)


def _remember_before_save(sender, instance, raw=False, **kwargs):
    # A page kept under an old slug (or fan name) must go too when it changes.
    if raw or instance.pk is None:
        return
    name = "username" if sender is apps.get_model(_user_model_label()) else "slug"
    before = sender._default_manager.filter(pk=instance.pk).values_list(name, flat=True).first()
    if before != getattr(instance, name):
        setattr(instance, f"_{name}_before_save", before)


def _remember_before_delete(sender, instance, **kwargs):
    # Deleting a genre or a still takes its links with it: note them first.
    if sender._meta.label == "catalog.Still":
        instance._people_before_delete = list(instance.people.values_list("pk", flat=True))
    else:
        instance._film_ids_before_delete = list(instance.films.values_list("pk", flat=True))


def _links_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    if not action.startswith("post_"):
        return
    if instance._meta.label == "catalog.Still":
        mark(film_ids=[instance.film_id], person_ids=pk_set or ())
    elif model._meta.label == "catalog.Still":  # a person's stills changed
        mark(
            person_ids=[instance.pk],
            film_ids=model.objects.filter(pk__in=pk_set or ()).values_list("film_id", flat=True),
        )
    elif reverse:  # a genre (country, language) gained or lost films
        mark(families=[LISTS], film_ids=pk_set or instance.films.values_list("pk", flat=True))
    else:
        mark(families=[LISTS], film_ids=[instance.pk])


def connect():
    """Connect the rules' receivers; core's AppConfig.ready() calls this."""
    for label in RULES:
        if not apps.is_installed(label.split(".")[0]):
            continue
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        if label in ("catalog.Film", "catalog.Person"):
            pre_save.connect(
                _remember_before_save, sender=model, dispatch_uid=f"page-cache-slug-{label}"
            )
        if label in ("catalog.Genre", "catalog.Country", "catalog.Language", "catalog.Still"):
            pre_delete.connect(
                _remember_before_delete, sender=model, dispatch_uid=f"page-cache-links-{label}"
            )
    user_model = apps.get_model(_user_model_label())
    post_save.connect(_saved, sender=user_model, dispatch_uid="page-cache-save-user")
    pre_save.connect(_remember_before_save, sender=user_model, dispatch_uid="page-cache-name-user")
    for label, name in M2M_RULES:
        through = getattr(apps.get_model(label), name).through
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"page-cache-m2m-{label}.{name}"
        )
