"""Which film of the catalogue each row of a fan's file means.

In order of trust:
1. this site's own film address (the "Letterboxd URI" column of our exports);
2. an outside id (IMDb's tt… in IMDb's export) through catalog.OutsideId;
3. the title and year, compared folded (case, accents, punctuation and a
   leading or trailing article set aside: core.text.fold_title) against each
   film's title and original title, first through the exact-title indexes,
   then through the search engine for what is left (alternate titles too).

A row is *matched* to one film, *ambiguous* between a few (the fan picks one
or none in the preview), or *unmatched*. The number of queries grows with the
number of distinct films in the file, in batches, never with the catalogue.
"""

import re
from collections import defaultdict
from urllib.parse import unquote, urlsplit

from django.db.models import Q

from catalog.models import Film
from core.text import fold_title

BATCH = 500
# Rows the search engine is asked about, at most, per upload: the rest of
# what the exact titles did not find is left unmatched (and says so).
MAX_SEARCHED = 300
MAX_CANDIDATES = 5

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
_FILM_PATH = re.compile(r"^/films/([^/]+)/?$")


def _slug_of(url):
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    found = _FILM_PATH.match(path)
    return found.group(1) if found else None


def _outside_id_model():
    try:
        from catalog.models import OutsideId
    except ImportError:  # Before the catalogue has outside ids.
        return None
    return OutsideId


class Key(tuple):
    """What identifies a film across rows: (slug, imdb id, folded title, year)."""

    @classmethod
    def of(cls, row):
        return cls((_slug_of(row.url) or "", row.imdb_id, fold_title(row.title), row.year))

    slug = property(lambda self: self[0])
    imdb_id = property(lambda self: self[1])
    folded = property(lambda self: self[2])
    year = property(lambda self: self[3])


def _choose(key, films):
    """(status, [films]) for a key among the films whose titles fold alike."""
    if key.year is None:
        close = films
    else:
        close = [f for f in films if f.year == key.year]
        if not close:
            close = [f for f in films if f.year is not None and abs(f.year - key.year) <= 1]
    if len(close) == 1:
        return MATCHED, close
    if close:
        return AMBIGUOUS, sorted(close, key=lambda f: (f.year or 0, f.pk))[:MAX_CANDIDATES]
    return UNMATCHED, []


def _titles(film):
    names = [film.title, film.original_title]
    names += [alt.title for alt in getattr(film, "loaded_alternates", ())]
    return {fold_title(name) for name in names if name}


def match(rows):
    """{Key: (status, [Film])} for these rows; each row gets `.key`."""
    keys = {}
    for row in rows:
        row.key = Key.of(row)
        keys.setdefault(row.key, None)
    results = {}
    fields = ("id", "title", "original_title", "slug", "year")

    # 1. Our own addresses.
    by_slug = defaultdict(list)
    for key in keys:
        if key.slug:
            by_slug[key.slug].append(key)
    slugs = list(by_slug)
    for start in range(0, len(slugs), BATCH):
        for film in Film.objects.filter(slug__in=slugs[start : start + BATCH]).only(*fields):
            for key in by_slug[film.slug]:
                results[key] = (MATCHED, [film])

    # 2. Outside ids.
    OutsideId = _outside_id_model()
    by_imdb = defaultdict(list)
    for key in keys:
        if key.imdb_id and key not in results:
            by_imdb[key.imdb_id].append(key)
    if OutsideId is not None and by_imdb:
        ids = list(by_imdb)
        for start in range(0, len(ids), BATCH):
            found = (
                OutsideId.objects.filter(source="imdb", value__in=ids[start : start + BATCH])
                .exclude(film=None)
                .select_related("film")
                .only("value", *(f"film__{name}" for name in fields))
            )
            for outside in found:
                for key in by_imdb[outside.value]:
                    results[key] = (MATCHED, [outside.film])

    # 3. Exact titles (any case) through the Lower() indexes, compared folded.
    wanted = defaultdict(list)
    for key in keys:
        if key not in results and key.folded:
            wanted[key.folded].append(key)
    lowered = {}
    for row in rows:
        if row.key in keys and row.key not in results and row.title:
            lowered.setdefault(row.title.lower(), row.key)
    found_by_folded = defaultdict(dict)
    names = list(lowered)
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        films = (
            Film.objects.annotate(**Film.exact_match_annotations())
            .filter(Q(title_lower__in=chunk) | Q(original_title_lower__in=chunk))
            .only(*fields)
        )
        for film in films:
            for folded in _titles(film):
                found_by_folded[folded][film.pk] = film
    for folded, folded_keys in wanted.items():
        films = list(found_by_folded.get(folded, {}).values())
        for key in folded_keys:
            if films:
                status, chosen = _choose(key, films)
                if status != UNMATCHED:
                    results[key] = (status, chosen)

    # 4. The search engine, for titles written differently (accents,
    # articles, alternate titles), at most MAX_SEARCHED distinct films.
    searched = 0
    for key in keys:
        if key in results or not key.folded:
            continue
        if searched >= MAX_SEARCHED:
            results[key] = (UNMATCHED, [])
            continue
        searched += 1
        films = Film.objects.search(key.folded, limit=20)
        by_pk = {film.pk: film for film in films}
        alternates = defaultdict(list)
        if by_pk:
            from catalog.models import AlternateTitle

            for alt in AlternateTitle.objects.filter(film_id__in=by_pk).only("film_id", "title"):
                alternates[alt.film_id].append(alt)
        same = []
        for film in films:
            film.loaded_alternates = alternates[film.pk]
            if key.folded in _titles(film):
                same.append(film)
        results[key] = _choose(key, same) if same else (UNMATCHED, [])

    for key in keys:
        results.setdefault(key, (UNMATCHED, []))
    return results
