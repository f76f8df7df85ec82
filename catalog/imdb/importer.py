"""The passes of an IMDb import, one batch (one transaction) at a time.

1. title.ratings: every title's rating and votes, in compact arrays (the
   --min-votes filter and the ratings' rows need them).
2. Matching: films already here without an IMDb ID are looked for by
   normalised title (any of theirs) and year, then by director when both
   have one; a match enriches the film, an ambiguous one is reported and
   the title left out.
3. title.basics: films (new ones, or updates where provenance allows), their
   outside IDs, IMDb ratings and genres.
4. title.akas: alternate titles, in every script, made searchable.
5. title.principals and title.crew, first read: which people are needed.
6. name.basics: those people (matched first by ID, then, for films found by
   title, by name among the film's credited people).
7. title.principals and title.crew again, merged in title order: credits.
   Each batch holds all of its films' IMDb credits, so one of theirs that
   neither file lists any more is deleted (files out of order: a pass each,
   and nothing deleted).

Each batch writes an ImportBatch row with what it created, the previous
values of what it changed and the rows it deleted, and a digest of its
input: a batch whose digest is already recorded is skipped, which is how a
second run with the same files changes nothing (and says so) and how an
interrupted run resumes.
"""

import hashlib
import heapq
import itertools
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from core.page_cache import invalidation
from core.text import index_text

from ..models import (
    AlternateTitle,
    Credit,
    Film,
    Genre,
    ImportBatch,
    OutsideId,
    OutsideRating,
    Person,
    Source,
)
from ..models.outside import IMDB_URLS
from ..models.sources import may_write
from ..search import search_index_batch
from ..slugs import SlugAllocator, make_slug
from . import bulk, files
from .files import BadLine, name_id, name_number, title_id, title_number
from .idmap import Bitmap, IdMap
from .parsing import (
    MAX_TITLE,
    credit_role,
    match_key,
    parse_characters,
    parse_int,
    parse_rating,
    parse_title,
)

SOURCE = Source.IMDB
MAX_NAME = Person._meta.get_field("name").max_length
MAX_CHARACTER = Credit._meta.get_field("character").max_length
MAX_JOB = Credit._meta.get_field("job").max_length
CAST_CATEGORIES = {"actor", "actress", "self", "archive_footage"}
STARS_PER_FILM = 3
FILM_FIELDS = ["title", "original_title", "year", "runtime_minutes"]


def digest(*parts):
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


@dataclass
class Options:
    title_types: frozenset
    min_votes: int = 0
    limit: int | None = None
    batch_size: int = 2000
    dry_run: bool = False
    recheck: bool = False

    def fingerprint(self):
        return (sorted(self.title_types), self.min_votes, self.limit)


@dataclass
class Counts:
    values: dict = field(default_factory=dict)

    def add(self, name, n=1):
        if n:
            self.values[name] = self.values.get(name, 0) + n

    def merge(self, other):
        for name, n in other.items():
            self.add(name, n)

    @property
    def changed(self):
        return sum(n for name, n in self.values.items() if not name.endswith("unchanged"))


class Importer:
    def __init__(self, folder, options, log, progress, bad_lines):
        self.folder = folder
        self.options = options
        self.log = log
        self.progress = progress
        self.bad = bad_lines
        self.counts = Counts()
        self.ambiguous = []
        self.ambiguous_titles = set()
        self.films = IdMap()  # tconst number → film id
        self.people = IdMap()  # nconst number → person id
        self.needed_people = Bitmap()
        # Films this run created: title.principals in title order gives each
        # one's credits in one batch, which then has no credits to compare with.
        self.new_films = Bitmap()
        self.principals_in_order = True
        self.crew_in_order = True
        # Credits IMDb no longer lists are removed (write_credits) only where
        # the files say so for certain: never for a film with a bad line in
        # title.principals or title.crew (its credit may be on that line),
        # and not at all when a line could not be placed on any film.
        self.films_with_bad_credit_lines = set()
        self.unplaced_credit_lines = set()  # (file, line)
        self.removing_credits = False
        # Alternate titles IMDb no longer lists, found batch by batch while
        # title.akas is read in step with title.basics (whole AlternateTitle
        # rows, for undo); removed once the whole file has been read and
        # left no doubt (remove_dropped_akas).
        self.dropped_akas = []
        self.batches_with_dropped_akas = []
        self.films_with_bad_aka_lines = set()
        self.bad_aka_lines_of_films = set()  # (file, line)
        self.unplaced_aka_lines = set()  # (file, line)
        # Every ID title.basics and name.basics list (whatever their type or
        # line), for the films and people here whose IMDb ID they no longer
        # list (report_unlisted); None until the whole file was read.
        self.listed_titles = None
        self.listed_people = None
        self.title_matches = {}  # tconst number → film id, films found by title
        self.people_of_matched_films = {}  # nconst number → {film ids found by title}
        self.batches = 0
        self.skipped_batches = 0
        self.labels = {}
        self.unchanged_files = False

    # Files and batches

    def path(self, name):
        path = files.find(self.folder, name)
        if path is None:
            raise FileNotFoundError(f"{name}.tsv.gz is not in {self.folder}")
        return path

    def label(self, name):
        """The file's name as found (title.basics.tsv.gz), for reports."""
        if name not in self.labels:
            self.labels[name] = self.path(name).name
        return self.labels[name]

    def lines(self, name):
        path = self.path(name)
        return self.progress(files.read(path, name, self.bad), name)

    def check_files(self):
        missing = [name for name in files.COLUMNS if files.find(self.folder, name) is None]
        if missing:
            raise FileNotFoundError(
                f"{self.folder} lacks {', '.join(m + '.tsv.gz' for m in missing)}: "
                "download IMDb's six files from https://datasets.imdbws.com/ into it."
            )
        for name in files.COLUMNS:
            # Reads the header only: a wrong file is refused before anything is written.
            next(iter(files.read(self.path(name), name, self.bad)), None)

    def load_recorded(self):
        self.recorded = dict(
            ImportBatch.objects.filter(source=SOURCE, undone_at__isnull=True)
            .exclude(key="")
            # Oldest first: the latest batch of a key is the one in force.
            .order_by("started_at", "id")
            .values_list("key", "digest")
        )

    def batch(self, key, data, work, file, always=False):
        """Run work() in one transaction with its ImportBatch row, unless a
        batch with the same key and input was recorded before. Returns
        False when skipped."""
        fingerprint = data if always else digest(self.options.fingerprint(), data)
        if self.recorded.get(key) == fingerprint:
            self.skipped_batches += 1
            return False
        counts, created, previous, deleted = Counts(), {}, {}, {}
        started = timezone.now()
        with transaction.atomic():
            work(counts, created, previous, deleted)
            if not counts.changed and not always:
                # Same facts from changed input (a line moved): nothing to record or undo.
                self.recorded[key] = fingerprint
                self.counts.merge(counts.values)
                return True
            ImportBatch.objects.create(
                source=SOURCE,
                key=key,
                digest=fingerprint,
                file=file,
                started_at=started,
                finished_at=timezone.now(),
                counts=counts.values,
                created=created,
                previous=previous,
                deleted=deleted,
                summary=summarise(counts.values),
            )
            # Bulk writes send no signals: retire every cached page once.
            invalidation.invalidate_everything()
        self.recorded[key] = fingerprint
        self.counts.merge(counts.values)
        self.batches += 1
        return True

    def chunks(self, rows, group=None):
        """Lists of about batch_size rows; with `group`, never splitting rows
        whose group(row) is the same (a title's credits stay together)."""
        chunk, size = [], self.options.batch_size
        last = object()
        for row in rows:
            key = group(row) if group else None
            if len(chunk) >= size and (group is None or key != last):
                yield chunk
                chunk = []
            chunk.append(row)
            last = key
        if chunk:
            yield chunk

    # 1. Ratings

    def load_ratings(self):
        from array import array

        self.rating_keys, self.rating_values, self.rating_votes = (
            array("q"),
            array("h"),
            array("q"),
        )
        ordered = True
        for line, (tconst, average, votes) in self.lines("title.ratings"):
            try:
                number = title_number(tconst)
                value = parse_rating(average)
                count = parse_int(votes, "votes")
            except BadLine as reason:
                self.bad.add(self.label("title.ratings"), line, str(reason))
                continue
            if self.rating_keys and number <= self.rating_keys[-1]:
                ordered = False
            self.rating_keys.append(number)
            self.rating_values.append(value)
            self.rating_votes.append(count)
        if not ordered:
            order = sorted(range(len(self.rating_keys)), key=self.rating_keys.__getitem__)
            self.rating_keys = array("q", (self.rating_keys[i] for i in order))
            self.rating_values = array("h", (self.rating_values[i] for i in order))
            self.rating_votes = array("q", (self.rating_votes[i] for i in order))
        path = self.path("title.ratings")
        self.ratings_as_of = date.fromtimestamp(path.stat().st_mtime)

    def rating_of(self, number):
        from bisect import bisect_left

        i = bisect_left(self.rating_keys, number)
        if i < len(self.rating_keys) and self.rating_keys[i] == number:
            return self.rating_values[i], self.rating_votes[i]
        return None, 0

    # Titles

    def selected_titles(self, report=True):
        """Titles of the chosen types, votes and limit, parsed; bad lines reported."""
        taken = 0
        types, min_votes, limit = (
            self.options.title_types,
            self.options.min_votes,
            self.options.limit,
        )
        listed = Bitmap() if report and limit is None else None
        for line, fields in self.lines("title.basics"):
            tconst, kind, primary, original, adult, start, _end, runtime, genres = fields
            if listed is not None and (number := files.id_number(tconst or "", "tt")) is not None:
                listed.add(number)
            if kind not in types or adult == "1":
                continue
            try:
                title = parse_title(line, tconst, primary, original, start, runtime, genres)
            except BadLine as reason:
                if report:
                    self.bad.add(self.label("title.basics"), line, str(reason))
                continue
            if min_votes and self.rating_of(title.number)[1] < min_votes:
                continue
            yield title
            taken += 1
            if limit is not None and taken >= limit:
                return
        self.listed_titles = listed

    # 2. Matching by title

    def match_by_title(self):
        candidates = list(
            Film.objects.exclude(outside_ids__source=SOURCE).values_list(
                "pk", "title", "original_title", "year"
            )
        )
        if not candidates:
            return
        ids = [pk for pk, *_ in candidates]
        by_key = {}
        names = {pk: [title, original] for pk, title, original, _ in candidates}
        for film_id, title in AlternateTitle.objects.filter(film_id__in=ids).values_list(
            "film_id", "title"
        ):
            names[film_id].append(title)
        years = {pk: year for pk, _, _, year in candidates}
        for pk, titles in names.items():
            for title in titles:
                if title:
                    by_key.setdefault((match_key(title), years[pk]), set()).add(pk)
        directors = Credit.objects.directors().filter(film_id__in=ids)
        film_directors = {}
        for film_id, name in directors.values_list("film_id", "person__name"):
            film_directors.setdefault(film_id, set()).add(match_key(name))

        self.log("Matching films already here by title and year…")
        hits = {}
        for title in self.selected_titles(report=False):
            found = set()
            for text in (title.title, title.original_title):
                if text:
                    found |= by_key.get((match_key(text), title.year), set())
            if found:
                hits[title.number] = (title, found)
        if not hits:
            return
        imdb_directors = {}
        for _line, (tconst, directors_field, _writers) in self.lines("title.crew"):
            try:
                number = title_number(tconst)
            except BadLine:
                continue
            if number in hits and directors_field:
                imdb_directors[number] = [
                    n for n in directors_field.split(",") if files.NAME_ID.match(n)
                ]
        wanted = {n for ids in imdb_directors.values() for n in ids}
        director_names = {}
        if wanted:
            for _line, fields in self.lines("name.basics"):
                if fields[0] in wanted and fields[1]:
                    director_names[fields[0]] = match_key(fields[1])
        claimed = {}
        for number, (title, found) in hits.items():
            theirs = {
                director_names[n] for n in imdb_directors.get(number, ()) if n in director_names
            }
            if theirs:
                found = {
                    pk for pk in found if not film_directors.get(pk) or film_directors[pk] & theirs
                }
            if len(found) == 1:
                claimed.setdefault(found.pop(), []).append(title)
            elif len(found) > 1:
                self.report_ambiguous(title, found)
        for film_id, titles in claimed.items():
            if len(titles) == 1:
                self.title_matches[titles[0].number] = film_id
            else:
                for title in titles:
                    self.report_ambiguous(title, {film_id})

    def report_ambiguous(self, title, film_ids):
        slugs = sorted(Film.objects.filter(pk__in=film_ids).values_list("slug", flat=True))
        message = (
            f"{self.label('title.basics')}:{title.line}: {title_id(title.number)}"
            f" “{title.title}” ({title.year}) "
            f"could be {', '.join(slugs)}: left out, match it by hand (add its IMDb ID)"
        )
        self.ambiguous.append(message)
        self.ambiguous_titles.add(title.number)
        self.log(message)

    # 3. Films

    def import_titles(self):
        self.slugs = SlugAllocator(Film)
        self.genre_ids = dict(Genre.objects.values_list("name", "pk"))
        self.akas = AkasInStep(self.aka_rows())
        titles = (t for t in self.selected_titles() if t.number not in self.ambiguous_titles)
        for n, chunk in enumerate(self.chunks(titles)):
            akas = self.akas.take([t.number for t in chunk])
            data = [
                (
                    t.number,
                    t.values(),
                    t.genres,
                    self.rating_of(t.number),
                    [row[2:] for row in akas.get(t.number, ())],
                )
                for t in chunk
            ]
            dropped_before = len(self.dropped_akas)
            if not self.batch(
                f"titles:{n}",
                data,
                lambda c, cr, p, d, ch=chunk, a=akas: self.write_films(ch, c, cr, p, d, a),
                "title.basics",
            ):
                self.counts.add("films unchanged", len(chunk))
                self.resolve_films(chunk)
            elif len(self.dropped_akas) > dropped_before:
                self.batches_with_dropped_akas.append(f"titles:{n}")
        self.akas.finish()
        self.films.seal()

    def resolve_films(self, chunk):
        values = [title_id(t.number) for t in chunk]
        for value, film_id in OutsideId.objects.filter(source=SOURCE, value__in=values).values_list(
            "value", "film_id"
        ):
            self.films.add(int(value[2:]), film_id)

    def write_films(self, chunk, counts, created, previous, deleted, akas):
        """The batch's films, with their IMDb IDs, ratings and genres, and
        `akas` ({title number: [aka rows]}), the alternate titles
        AkasInStep found for them: new films are written with them in their
        search text, so it is written once."""
        by_value = {title_id(t.number): t for t in chunk}
        known = dict(
            OutsideId.objects.filter(source=SOURCE, value__in=list(by_value)).values_list(
                "value", "film_id"
            )
        )
        matched = {
            title_id(t.number): self.title_matches[t.number]
            for t in chunk
            if title_id(t.number) not in known and t.number in self.title_matches
        }
        existing_ids = list(known.values()) + list(matched.values())
        rows = {
            row["pk"]: row
            for row in Film.objects.filter(pk__in=existing_ids).values(
                "pk", *FILM_FIELDS, "field_sources", "outside_values"
            )
        }
        now = timezone.now()
        cursor = connection.cursor()
        new = [t for value, t in by_value.items() if value not in known and value not in matched]

        # New films.
        slugs = self.slugs.allocate([make_slug(t.title, t.year, fallback="film") for t in new])
        ids = bulk.reserve_ids(cursor, Film, len(new))
        table = bulk.Table(Film, FILM_INSERT)
        film_rows, aka_rows = [], []
        ids_of = {}
        for title, slug, pk in zip(new, slugs, ids, strict=True):
            values = title.values()
            rating, votes = self.rating_of(title.number)
            film_akas = [
                aka for row in akas.get(title.number, ()) if (aka := self.aka_of_film(row, pk))
            ]
            aka_rows += film_akas
            # The titles write_akas will keep: neither of the film's own.
            own = (title.title, title.original_title)
            other_titles = dict.fromkeys(aka[1] for aka in film_akas if aka[1] not in own)
            film_rows.append(
                table.row(
                    {
                        "id": pk,
                        **values,
                        "slug": slug,
                        "search_text": index_text(title.title, title.original_title, *other_titles),
                        "field_sources": {
                            f: SOURCE for f, v in values.items() if v not in (None, "")
                        }
                        | ({"genres": SOURCE} if title.genres else {}),
                        "outside_values": {SOURCE: imdb_values(title)},
                        "external_rating": Decimal(rating) / 10 if rating is not None else None,
                        "external_rating_votes": votes if rating is not None else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            )
            ids_of[title.number] = pk
        with search_index_batch(Film, ids):
            table.insert(cursor, film_rows)
        created["catalog.Film"] = ids
        counts.add("films created", len(new))
        for pk in ids:
            self.new_films.add(pk)

        # Films already here: fields where provenance allows; IMDb's values beside the rest.
        updates, changed_titles = [], []
        for value, film_id in [*known.items(), *matched.items()]:
            title, row = by_value[value], rows.get(film_id)
            ids_of[title.number] = film_id
            if row is None:
                continue
            change = film_update(row, title)
            if change:
                new_values, old_values = change
                updates.append(tuple(new_values[c] for c in UPDATE_FILM_COLUMNS) + (film_id,))
                previous.setdefault("catalog.Film", {})[film_id] = old_values
                if {"title", "original_title"} & set(old_values):
                    changed_titles.append(film_id)
                counts.add("films updated")
            else:
                counts.add("films unchanged")
        bulk.update(
            cursor,
            Film,
            [*UPDATE_FILM_COLUMNS, "updated_at"],
            [u[:-1] + (now, u[-1]) for u in updates],
        )
        if changed_titles:
            Film.objects.filter(pk__in=changed_titles).refresh_search_text()
        counts.add("films found by title", len(matched))

        # IMDb IDs of new films and of films found by title.
        id_table = bulk.Table(OutsideId, {"id", "source", "value", "film_id", "person_id"})
        outside = [(title_id(t.number), ids_of[t.number]) for t in new] + list(matched.items())
        outside_ids = bulk.reserve_ids(cursor, OutsideId, len(outside))
        id_table.insert(
            cursor,
            [
                id_table.row(
                    {"id": pk, "source": SOURCE, "value": v, "film_id": f, "person_id": None}
                )
                for pk, (v, f) in zip(outside_ids, outside, strict=True)
            ],
        )
        created["catalog.OutsideId"] = outside_ids

        new_ids = set(ids)
        self.write_ratings(cursor, chunk, ids_of, new_ids, counts, created, previous)
        self.write_genres(cursor, chunk, ids_of, new_ids, counts, created, previous, deleted)
        for title in chunk:
            self.films.add(title.number, ids_of[title.number])
        cursor.close()
        old_titles = [t for t in chunk if ids_of[t.number] not in new_ids]
        aka_rows += [
            aka
            for title in old_titles
            for row in akas.get(title.number, ())
            if (aka := self.aka_of_film(row, ids_of[title.number]))
        ]
        # In step so far, this batch's lines of title.akas are all its films have.
        complete = [ids_of[t.number] for t in old_titles] if self.akas.in_step else ()
        self.write_akas(aka_rows, counts, created, indexed=new_ids, complete=complete)

    def write_ratings(self, cursor, chunk, ids_of, new_ids, counts, created, previous):
        old_ids = [ids_of[t.number] for t in chunk if ids_of[t.number] not in new_ids]
        rows = {}
        has_shown = set()
        for pk, film_id, source, value, votes, shown in OutsideRating.objects.filter(
            film_id__in=old_ids
        ).values_list("pk", "film_id", "source", "value", "votes", "shown"):
            if source == SOURCE:
                rows[film_id] = (pk, value, votes, shown)
            if shown:
                has_shown.add(film_id)
        table = bulk.Table(OutsideRating, RATING_INSERT)
        inserts, updates, resync = [], [], []
        for title in chunk:
            rating, votes = self.rating_of(title.number)
            if rating is None:
                continue
            film_id = ids_of[title.number]
            value = Decimal(rating) / 10
            url = IMDB_URLS["film"].format(title_id(title.number))
            if film_id in rows:
                pk, old_value, old_votes, shown = rows[film_id]
                if (old_value, old_votes) != (value, votes):
                    updates.append((value, votes, self.ratings_as_of, pk))
                    previous.setdefault("catalog.OutsideRating", {})[pk] = {
                        "value": str(old_value),
                        "votes": old_votes,
                    }
                    if shown:
                        resync.append(film_id)
                    counts.add("IMDb ratings updated")
                else:
                    counts.add("IMDb ratings unchanged")
                continue
            shown = film_id not in has_shown
            inserts.append(
                {
                    "film_id": film_id,
                    "source": SOURCE,
                    "value": value,
                    "scale": 10,
                    "votes": votes,
                    "as_of": self.ratings_as_of,
                    "url": url,
                    "shown": shown,
                }
            )
            if shown and film_id not in new_ids:
                resync.append(film_id)
        ids = bulk.reserve_ids(cursor, OutsideRating, len(inserts))
        table.insert(
            cursor, [table.row({"id": pk, **row}) for pk, row in zip(ids, inserts, strict=True)]
        )
        created["catalog.OutsideRating"] = ids
        counts.add("IMDb ratings created", len(inserts))
        bulk.update(cursor, OutsideRating, ["value", "votes", "as_of"], updates)
        if resync:
            Film.objects.filter(pk__in=resync).sync_external_rating()

    def write_genres(self, cursor, chunk, ids_of, new_ids, counts, created, previous, deleted):
        """New films take IMDb's genres; a film already here follows IMDb's
        when its genres are IMDb's (field_sources), or when it has none and
        they become IMDb's. Staff's or the source page's stay as they are."""
        missing = sorted({name for t in chunk for name in t.genres} - set(self.genre_ids))
        if missing:
            # Two queries however many genres are new (IMDb has about thirty).
            Genre.objects.bulk_create(
                [Genre(name=name, slug=make_slug(name)) for name in missing], ignore_conflicts=True
            )
            self.genre_ids.update(Genre.objects.filter(name__in=missing).values_list("name", "pk"))
        through = Film.genres.through
        old_ids = [ids_of[t.number] for t in chunk if ids_of[t.number] not in new_ids]
        have = {}  # film id → {genre id: the link's row}
        for row in through.objects.filter(film_id__in=old_ids).values("id", "film_id", "genre_id"):
            have.setdefault(row["film_id"], {})[row["genre_id"]] = row
        sources = dict(Film.objects.filter(pk__in=old_ids).values_list("pk", "field_sources"))
        table = bulk.Table(through, {"id", "film_id", "genre_id"})
        new_rows, added, gone, adopted = [], [], [], []
        for title in chunk:
            film_id = ids_of[title.number]
            wanted = [self.genre_ids[g] for g in title.genres]
            if film_id in new_ids:
                new_rows += [(film_id, g) for g in wanted]
                continue
            links, film_sources = have.get(film_id, {}), sources.get(film_id) or {}
            if links and film_sources.get("genres") != SOURCE:
                continue  # staff's genres, or the source page's: IMDb's go beside them
            added += [(film_id, g) for g in wanted if g not in links]
            # IMDb's genres: the ones it no longer lists go.
            gone += [row for g, row in links.items() if g not in wanted]
            if wanted and "genres" not in film_sources:
                adopted.append((film_id, film_sources))
        remove(through, gone, "genres", counts, deleted)
        # A new film's genres cannot clash: a plain insert (COPY on PostgreSQL).
        rows = new_rows + added
        ids = bulk.reserve_ids(cursor, through, len(rows))
        table.insert(
            cursor,
            [
                table.row({"id": pk, "film_id": f, "genre_id": g})
                for pk, (f, g) in zip(ids, rows, strict=True)
            ],
        )
        if added:
            created[through._meta.label] = ids[len(new_rows) :]
            counts.add("genres added", len(added))
        json_field = Film._meta.get_field("field_sources")
        for film_id, film_sources in adopted:
            previous.setdefault("catalog.Film", {}).setdefault(film_id, {}).setdefault(
                "field_sources", film_sources
            )
        bulk.update(
            cursor,
            Film,
            ["field_sources"],
            [
                (json_field.get_db_prep_save({**s, "genres": SOURCE}, connection), pk)
                for pk, s in adopted
            ],
        )

    # 4. Alternate titles

    def aka_rows(self):
        """(title number, line, title, note, language, region) of every good
        line of title.akas; bad lines reported."""
        label = self.label("title.akas")
        for line, fields in self.lines("title.akas"):
            tconst, _ordering, title, region, language, types, attributes, original = fields
            try:
                number = title_number(tconst)
            except BadLine as reason:
                self.unplaced_aka_lines.add((label, line))
                self.bad.add(label, line, str(reason))
                continue
            if not title:
                continue
            note = ", ".join(
                filter(
                    None,
                    ["original title" if original == "1" else "", types or "", attributes or ""],
                )
            ).replace("\x02", ", ")[:200]
            yield (number, line, title, note, (language or "")[:12], (region or "")[:4])

    def aka_of_film(self, row, film_id):
        """(film id, title, note, language, region) for write_akas, or None
        (reported) when the title is absurdly long."""
        _number, line, title, note, language, region = row
        if len(title) > MAX_TITLE:
            label = self.label("title.akas")
            self.films_with_bad_aka_lines.add(film_id)
            self.bad_aka_lines_of_films.add((label, line))
            self.bad.add(label, line, f"absurdly long title: {len(title):,} characters")
            return None
        return (film_id, title, note, language, region)

    def import_akas(self):
        """The alternate titles of every imported film in a pass of their own:
        only when title.basics and title.akas were not both in title order
        (IMDb publishes them so), which lets import_titles take each batch's
        alternate titles along with its films."""

        def rows():
            for row in self.aka_rows():
                film_id = self.films.get(row[0])
                if film_id is not None and (aka := self.aka_of_film(row, film_id)):
                    yield aka

        for n, chunk in enumerate(self.chunks(rows(), group=lambda row: row[0])):
            if not self.batch(
                f"akas:{n}",
                chunk,
                lambda c, cr, p, _d, ch=chunk: self.write_akas(ch, c, cr),
                "title.akas",
            ):
                self.counts.add("alternate titles unchanged", len(chunk))

    def write_akas(self, chunk, counts, created, indexed=(), complete=()):
        """Alternate titles not already the film's, and the search text of
        the films that gained one, except those in `indexed` (written by this
        batch with them in it). IMDb's own titles of the films in `complete`
        (whose every line of title.akas is in `chunk`) that the chunk lacks
        are noted in dropped_akas."""
        complete = set(complete)
        film_ids = sorted({row[0] for row in chunk} | complete)
        listed = {(row[0], row[1]) for row in chunk}
        have = set()
        for row in AlternateTitle.objects.filter(film_id__in=film_ids).values(*AKA_COLUMNS):
            key = (row["film_id"], row["title"])
            have.add(key)
            if row["film_id"] in complete and row["source"] == SOURCE and key not in listed:
                self.dropped_akas.append(row)
        for pk, title, original in Film.objects.filter(pk__in=film_ids).values_list(
            "pk", "title", "original_title"
        ):
            have.update({(pk, title), (pk, original)})
        new = {}
        for film_id, title, note, language, region in chunk:
            if (film_id, title) in have or (film_id, title) in new:
                continue
            new[(film_id, title)] = (note, language, region)
        cursor = connection.cursor()
        ids = bulk.reserve_ids(cursor, AlternateTitle, len(new))
        table = bulk.Table(AlternateTitle, set(AKA_COLUMNS))
        table.insert(
            cursor,
            [
                table.row(
                    {
                        "id": pk,
                        "film_id": f,
                        "title": t,
                        "note": n,
                        "language": lang,
                        "region": r,
                        "source": SOURCE,
                    }
                )
                for pk, ((f, t), (n, lang, r)) in zip(ids, new.items(), strict=True)
            ],
        )
        cursor.close()
        created["catalog.AlternateTitle"] = ids
        counts.add("alternate titles created", len(new))
        counts.add("alternate titles unchanged", len(chunk) - len(new))
        touched = sorted({f for f, _ in new} - set(indexed))
        if touched:
            # Search text: once per batch, for the films that gained a title
            # (one read, one executemany; the titles are all at hand).
            names = {}
            for film_id, title in (
                AlternateTitle.objects.filter(film_id__in=touched)
                .order_by("pk")
                .values_list("film_id", "title")
            ):
                names.setdefault(film_id, []).append(title)
            texts = [
                (index_text(title, original, *names.get(pk, ())), pk)
                for pk, title, original in Film.objects.filter(pk__in=touched).values_list(
                    "pk", "title", "original_title"
                )
            ]
            cursor = connection.cursor()
            with search_index_batch(Film, touched):
                bulk.update(cursor, Film, ["search_text"], texts)
            cursor.close()

    def remove_dropped_akas(self):
        """The alternate titles IMDb no longer lists go, in batches that undo
        can make them again, once the whole of title.akas has left no doubt:
        read in title order throughout, every line placed on a film, none of
        the film's own lines bad. Otherwise they stay, and the batches that
        found them are read again next time."""
        label = self.label("title.akas")
        unplaced = self.unplaced_aka_lines | (
            {seen for seen in self.bad.seen if seen[0] == label} - self.bad_aka_lines_of_films
        )
        if not self.akas.in_step or unplaced:
            why = (
                f"{len(unplaced):,} line(s) of {label} name no film"
                if unplaced
                else f"{label} or {self.label('title.basics')} is not in title order"
            )
            self.log(f"{why}: alternate titles IMDb no longer lists are kept this time.")
            if self.batches_with_dropped_akas:
                ImportBatch.objects.filter(
                    source=SOURCE, key__in=self.batches_with_dropped_akas, undone_at=None
                ).update(digest="")
            return
        if not self.dropped_akas:
            return
        dropped = [
            row for row in self.dropped_akas if row["film_id"] not in self.films_with_bad_aka_lines
        ]
        for n, chunk in enumerate(self.chunks(dropped)):
            self.batch(
                f"akas-removed:{n}",
                [row["id"] for row in chunk],
                lambda c, _cr, _p, d, ch=chunk: self.delete_akas(ch, c, d),
                label,
            )

    def delete_akas(self, chunk, counts, deleted):
        # Read again: a title staff took over since (its source) is theirs.
        rows = list(
            AlternateTitle.objects.filter(
                pk__in=[row["id"] for row in chunk], source=SOURCE
            ).values(*AKA_COLUMNS)
        )
        remove(AlternateTitle, rows, "alternate titles", counts, deleted)
        Film.objects.filter(pk__in={row["film_id"] for row in rows}).refresh_search_text()

    # 5. Which people are needed

    def principals_file_rows(self, report, parse=True):
        """(file, line, title number, film id, person number, ordering,
        category, job, characters) of title.principals for imported films;
        with parse=False only the first five (the first read needs no more).
        crew_file_rows gives the same for title.crew."""
        label = self.label("title.principals")
        last_tconst, film_id, highest = None, None, -1
        for line, fields in self.lines("title.principals"):
            tconst, ordering, nconst, category, job, characters = fields
            # The file is sorted by title: look each title up once.
            if tconst != last_tconst:
                try:
                    number = title_number(tconst)
                except BadLine as reason:
                    last_tconst, film_id = None, None
                    self.unplaced_credit_lines.add((label, line))
                    if report:
                        self.bad.add(label, line, str(reason))
                    continue
                last_tconst, film_id = tconst, self.films.get(number)
                if number < highest:
                    self.principals_in_order = False
                highest = max(highest, number)
            if film_id is None:
                continue
            try:
                person = name_number(nconst)
                if not parse:
                    yield (label, line, number, film_id, person)
                    continue
                order = parse_int(ordering, "ordering") if ordering else None
                parts = parse_characters(characters)
            except BadLine as reason:
                self.films_with_bad_credit_lines.add(film_id)
                if report:
                    self.bad.add(label, line, str(reason))
                continue
            yield (label, line, number, film_id, person, order, category or "", job, parts)

    def crew_file_rows(self, report):
        label = self.label("title.crew")
        highest = -1
        for line, (tconst, directors, writers) in self.lines("title.crew"):
            try:
                number = title_number(tconst)
            except BadLine as reason:
                self.unplaced_credit_lines.add((label, line))
                if report:
                    self.bad.add(label, line, str(reason))
                continue
            if number < highest:
                self.crew_in_order = False
            highest = max(highest, number)
            film_id = self.films.get(number)
            if film_id is None:
                continue
            try:
                crew = [(name_number(n), "director") for n in (directors or "").split(",") if n] + [
                    (name_number(n), "writer") for n in (writers or "").split(",") if n
                ]
            except BadLine as reason:
                self.films_with_bad_credit_lines.add(film_id)
                if report:
                    self.bad.add(label, line, str(reason))
                continue
            for person, category in crew:
                yield (label, line, number, film_id, person, None, category, None, [])

    def collect_people(self):
        matched_films = set(self.title_matches.values())
        rows = itertools.chain(
            self.principals_file_rows(False, parse=False), self.crew_file_rows(False)
        )
        for _file, _line, _number, film_id, person, *_ in rows:
            self.needed_people.add(person)
            if film_id in matched_films:
                self.people_of_matched_films.setdefault(person, set()).add(film_id)
        # The lines files.read() refused so far (wrong columns, not UTF-8)
        # belong to no film either: neither file has been read any further.
        credit_files = {self.label("title.principals"), self.label("title.crew")}
        self.unplaced_credit_lines |= {seen for seen in self.bad.seen if seen[0] in credit_files}
        # People credited on films found by title, without an IMDb ID: an
        # IMDb name is matched to one of them by name or credited-as name.
        self.person_candidates = {}
        if matched_films:
            for film_id, person_id, name, credited in (
                Credit.objects.filter(film_id__in=matched_films)
                .exclude(person__outside_ids__source=SOURCE)
                .values_list("film_id", "person_id", "person__name", "credited_as")
            ):
                keys = {match_key(name)} | ({match_key(credited)} if credited else set())
                self.person_candidates.setdefault(film_id, []).append((person_id, keys))

    # 6. People

    def import_people(self):
        def rows():
            needed, listed = self.needed_people, Bitmap()
            for line, fields in self.lines("name.basics"):
                nconst, name = fields[0], fields[1]
                try:
                    number = name_number(nconst)
                except BadLine as reason:
                    self.bad.add(self.label("name.basics"), line, str(reason))
                    continue
                listed.add(number)
                if number not in needed:
                    continue
                if not name:
                    self.bad.add(self.label("name.basics"), line, "no name")
                    continue
                if len(name) > MAX_NAME:
                    self.bad.add(
                        self.label("name.basics"),
                        line,
                        f"absurdly long name: {len(name):,} characters",
                    )
                    continue
                yield (number, name)
            self.listed_people = listed

        self.person_slugs = SlugAllocator(Person)
        self.claimed_people = set()
        for n, chunk in enumerate(self.chunks(rows())):
            if not self.batch(
                f"people:{n}",
                chunk,
                lambda c, cr, p, _d, ch=chunk: self.write_people(ch, c, cr, p),
                "name.basics",
            ):
                self.counts.add("people unchanged", len(chunk))
                for value, person_id in OutsideId.objects.filter(
                    source=SOURCE, value__in=[name_id(num) for num, _ in chunk]
                ).values_list("value", "person_id"):
                    self.people.add(int(value[2:]), person_id)
        self.people.seal()

    def write_people(self, chunk, counts, created, previous):
        known = {
            int(value[2:]): pk
            for value, pk in OutsideId.objects.filter(
                source=SOURCE, value__in=[name_id(num) for num, _ in chunk]
            ).values_list("value", "person_id")
        }
        matched = {}
        for number, name in chunk:
            if number in known or number not in self.people_of_matched_films:
                continue
            key = match_key(name)
            found = {
                person_id
                for film_id in self.people_of_matched_films[number]
                for person_id, keys in self.person_candidates.get(film_id, ())
                if key in keys and person_id not in self.claimed_people
            }
            if len(found) == 1:
                matched[number] = found.pop()
                self.claimed_people.add(matched[number])
            elif found:
                self.ambiguous.append(
                    f"name.basics: {name_id(number)} “{name}” could be any of people "
                    f"{sorted(found)}: a new person was made"
                )
        rows = {
            row["pk"]: row
            for row in Person.objects.filter(pk__in=[*known.values(), *matched.values()]).values(
                "pk", "name", "field_sources", "outside_values"
            )
        }
        now = timezone.now()
        cursor = connection.cursor()
        new = [
            (number, name)
            for number, name in chunk
            if number not in known and number not in matched
        ]
        slugs = self.person_slugs.allocate([make_slug(name, fallback="person") for _, name in new])
        ids = bulk.reserve_ids(cursor, Person, len(new))
        table = bulk.Table(Person, PERSON_INSERT)
        with search_index_batch(Person, ids):
            table.insert(
                cursor,
                [
                    table.row(
                        {
                            "id": pk,
                            "name": name,
                            "slug": slug,
                            "search_text": index_text(name),
                            "field_sources": {"name": SOURCE},
                            "outside_values": {SOURCE: {"name": name}},
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    for (number, name), slug, pk in zip(new, slugs, ids, strict=True)
                ],
            )
        created["catalog.Person"] = ids
        counts.add("people created", len(new))
        ids_of = {number: pk for (number, _), pk in zip(new, ids, strict=True)}
        updates, renamed = [], []
        sources_field = Person._meta.get_field("field_sources")
        outside_field = Person._meta.get_field("outside_values")
        for number, name in chunk:
            person_id = known.get(number) or matched.get(number)
            if person_id is None:
                continue
            ids_of[number] = person_id
            row = rows.get(person_id)
            if row is None:
                continue
            sources, outside = dict(row["field_sources"] or {}), dict(row["outside_values"] or {})
            old = {}
            new_name = row["name"]
            if name != row["name"] and may_write(sources, "name", row["name"], SOURCE):
                old["name"] = row["name"]
                new_name = name
                sources["name"] = SOURCE
                renamed.append(person_id)
            if outside.get(SOURCE) != {"name": name}:
                old["outside_values"] = row["outside_values"]
                outside[SOURCE] = {"name": name}
            if old:
                old.setdefault("field_sources", row["field_sources"])
                previous.setdefault("catalog.Person", {})[person_id] = old
                updates.append(
                    (
                        new_name,
                        sources_field.get_db_prep_save(sources, connection),
                        outside_field.get_db_prep_save(outside, connection),
                        now,
                        person_id,
                    )
                )
                counts.add("people updated")
            else:
                counts.add("people unchanged")
        bulk.update(
            cursor, Person, ["name", "field_sources", "outside_values", "updated_at"], updates
        )
        if renamed:
            Person.objects.filter(pk__in=renamed).refresh_search_text()
        id_table = bulk.Table(OutsideId, {"id", "source", "value", "film_id", "person_id"})
        outside_rows = [(name_id(num), ids_of[num]) for num, _ in new] + [
            (name_id(num), pk) for num, pk in matched.items()
        ]
        outside_ids = bulk.reserve_ids(cursor, OutsideId, len(outside_rows))
        id_table.insert(
            cursor,
            [
                id_table.row(
                    {"id": pk, "source": SOURCE, "value": v, "film_id": None, "person_id": p}
                )
                for pk, (v, p) in zip(outside_ids, outside_rows, strict=True)
            ],
        )
        created["catalog.OutsideId"] = outside_ids
        counts.add("people found by name", len(matched))
        for number, _ in chunk:
            self.people.add(number, ids_of[number])
        cursor.close()

    # 7. Credits

    def import_credits(self):
        def known_people(rows):
            for row in rows:
                file, line, _number, film_id, person = row[:5]
                person_id = self.people.get(person)
                if person_id is None:
                    self.films_with_bad_credit_lines.add(film_id)
                    self.bad.add(
                        file,
                        line,
                        f"unknown person ID: {name_id(person)} is not in name.basics"
                        " (or its line there was bad)",
                    )
                    continue
                yield row[:4] + (person_id,) + row[5:]

        principals, crew = self.label("title.principals"), self.label("title.crew")
        if self.principals_in_order and self.crew_in_order:
            # As IMDb publishes them: both files in title order, merged, so
            # each batch holds every IMDb credit of its films, and a credit
            # of theirs that neither file lists any more can go.
            merged = heapq.merge(
                self.principals_file_rows(report=True),
                self.crew_file_rows(report=True),
                key=itemgetter(2),
            )
            passes = [("credits", merged, f"{principals}, {crew}")]
            self.removing_credits = not self.unplaced_credit_lines
            if self.unplaced_credit_lines:
                self.log(
                    f"{len(self.unplaced_credit_lines):,} line(s) of {principals} or {crew}"
                    " name no film: credits IMDb no longer lists are kept this time."
                )
        else:
            passes = [
                ("credits", self.principals_file_rows(report=True), principals),
                ("crew", self.crew_file_rows(report=True), crew),
            ]
            self.log(
                f"{principals} or {crew} is not in title order: credits IMDb no longer lists"
                " are kept this time."
            )
        for key, rows, file in passes:
            chunks = self.chunks(known_people(rows), group=lambda row: row[3])
            for n, chunk in enumerate(chunks):
                # Whether credits may go is part of the input: a batch read
                # while they could not is read again once they can.
                data = [self.removing_credits, *(row[2:] for row in chunk)]
                if not self.batch(
                    f"{key}:{n}",
                    data,
                    lambda c, cr, p, d, ch=chunk, k=key: self.write_credits(
                        ch, c, cr, p, d, crew_pass=k == "crew"
                    ),
                    file,
                ):
                    self.counts.add("credits unchanged", len(chunk))

    def write_credits(self, chunk, counts, created, previous, deleted, crew_pass=False):
        # title.crew repeats directors and writers without billing: it adds
        # the ones title.principals lacks and changes none.
        crew_file = self.label("title.crew")
        from_principals = set()
        # One credit per film, person, role and job: several characters join.
        wanted = {}
        for file, _line, _number, film_id, person_id, order, category, job, characters in chunk:
            role, job_title = credit_role(category, job)
            key = (film_id, person_id, role, job_title)
            if file != crew_file:
                from_principals.add(key)
            if key in wanted:
                old_order, old_characters = wanted[key]
                order = (
                    min(o for o in (order, old_order) if o is not None)
                    if (order or old_order)
                    else None
                )
                characters = old_characters + [c for c in characters if c not in old_characters]
            wanted[key] = (order, characters)
        stars = set()
        by_film = {}
        for (film_id, person_id, role, _job), (order, _c) in wanted.items():
            if role == Credit.Role.CAST and order is not None:
                by_film.setdefault(film_id, []).append((order, person_id))
        for film_id, cast in by_film.items():
            stars.update((film_id, person_id) for _, person_id in sorted(cast)[:STARS_PER_FILM])
        film_ids = sorted({key[0] for key in wanted})
        if not crew_pass and self.principals_in_order:
            # A film this run created has no credits yet, but for the ones
            # this batch writes; unless the file was out of order so far.
            film_ids = [pk for pk in film_ids if pk not in self.new_films]
        existing = {}
        has_stars = set()
        gone = []
        for row in Credit.objects.filter(film_id__in=film_ids).values(*CREDIT_INSERT):
            key = (row["film_id"], row["person_id"], row["role"], row["job"])
            existing[key] = (
                row["id"],
                row["character"],
                row["billing_order"],
                row["is_star"],
                row["source"],
            )
            if row["is_star"] and row["source"] != SOURCE:
                has_stars.add(row["film_id"])
            if (
                self.removing_credits
                and row["source"] == SOURCE
                and key not in wanted
                and row["film_id"] not in self.films_with_bad_credit_lines
            ):
                gone.append(row)
        # Only IMDb's own rows: a credit staff edited is theirs (source).
        remove(Credit, gone, "credits", counts, deleted)
        # A credited-as name goes from its person's search text with it.
        credited = {row["person_id"] for row in gone if row["credited_as"]}
        if credited:
            Person.objects.filter(pk__in=credited).refresh_search_text()
        table = bulk.Table(Credit, CREDIT_INSERT)
        inserts, updates = [], []
        for key, (order, characters) in wanted.items():
            film_id, person_id, role, job = key
            character = " / ".join(characters)[:MAX_CHARACTER] if role == Credit.Role.CAST else ""
            # Films whose page or staff named their stars keep them.
            is_star = (
                role == Credit.Role.CAST
                and (film_id, person_id) in stars
                and film_id not in has_stars
            )
            if key in existing:
                pk, old_character, old_order, old_star, source = existing[key]
                if (
                    source != SOURCE
                    or key not in from_principals
                    or (old_character, old_order, old_star) == (character, order, is_star)
                ):
                    counts.add("credits unchanged")
                    continue
                updates.append((character, order, is_star, pk))
                previous.setdefault("catalog.Credit", {})[pk] = {
                    "character": old_character,
                    "billing_order": old_order,
                    "is_star": old_star,
                }
                counts.add("credits updated")
                continue
            inserts.append(
                {
                    "film_id": film_id,
                    "person_id": person_id,
                    "role": role,
                    "job": job,
                    "character": character,
                    "credited_as": "",
                    "billing_order": order,
                    "is_star": is_star,
                    "source": SOURCE,
                }
            )
        cursor = connection.cursor()
        ids = bulk.reserve_ids(cursor, Credit, len(inserts))
        table.insert(
            cursor, [table.row({"id": pk, **row}) for pk, row in zip(ids, inserts, strict=True)]
        )
        bulk.update(cursor, Credit, ["character", "billing_order", "is_star"], updates)
        cursor.close()
        created["catalog.Credit"] = ids
        counts.add("credits created", len(inserts))
        counts.add("credit rows read", len(chunk))

    # 8. Films and people IMDb no longer lists

    def report_unlisted(self):
        """Name the films and people here whose IMDb ID title.basics or
        name.basics no longer lists: IMDb merges duplicates and removes
        entries. They are kept (they may hold reviews, lists, staff's
        facts), for staff to merge or delete in the admin. Not after a
        first import: every ID it holds came from these files."""
        if not self.had_imdb_ids:
            return
        for listed, column, prefix, file, names in (
            (self.listed_titles, "film", "tt", "title.basics", ("film", "films")),
            (self.listed_people, "person", "nm", "name.basics", ("person", "people")),
        ):
            if listed is None:
                continue  # the file was not read to its end (--limit)
            unlisted = [
                value
                for value in OutsideId.objects.filter(source=SOURCE, **{f"{column}__isnull": False})
                .order_by("value")
                .values_list("value", flat=True)
                .iterator(chunk_size=20_000)
                if files.id_number(value, prefix) not in listed
            ]
            if unlisted:
                more = len(unlisted) - UNLISTED_SHOWN
                self.log(
                    f"{len(unlisted):,} {names[len(unlisted) > 1]} here with an IMDb ID"
                    f" {self.label(file)} no longer lists (merged or removed by IMDb):"
                    f" {', '.join(unlisted[:UNLISTED_SHOWN])}"
                    + (f" and {more:,} more" if more > 0 else "")
                    + ". Kept: staff can merge or delete them in the admin."
                )

    def files_digest(self):
        """A digest of the six files' bytes (read compressed: fast) and the options."""
        hashes = []
        for name in sorted(files.COLUMNS):
            sha = hashlib.sha1(usedforsecurity=False)
            with open(self.path(name), "rb") as stream:
                while block := stream.read(1 << 20):
                    sha.update(block)
            hashes.append((name, sha.hexdigest()))
        return digest(self.options.fingerprint(), hashes)

    def run(self):
        restore = {}
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA page_size")
                pages = SQLITE_WAL_MB * 1024 * 1024 // cursor.fetchone()[0]
                settings = {"cache_size": -SQLITE_CACHE_MB * 1024, "wal_autocheckpoint": pages}
                for name, value in settings.items():
                    cursor.execute(f"PRAGMA {name}")
                    restore[name] = cursor.fetchone()[0]
                    cursor.execute(f"PRAGMA {name} = {int(value)}")
            else:
                for name, value in POSTGRESQL_SESSION.items():
                    cursor.execute(f"SHOW {name}")
                    restore[name] = cursor.fetchone()[0]
                    cursor.execute(f"SET {name} = {value}")
        try:
            self.run_passes()
        finally:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    for name, value in restore.items():
                        cursor.execute(f"PRAGMA {name} = {int(value)}")
                    if not connection.in_atomic_block:
                        # Back into the database file now, rather than leave
                        # the site's readers a WAL of up to SQLITE_WAL_MB to search.
                        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                else:
                    for name, value in restore.items():
                        cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

    def run_passes(self):
        started = time.monotonic()
        self.check_files()
        self.load_recorded()
        # The same six files as the last complete run, nothing of it undone:
        # nothing can change, and nothing needs reading.
        whole = self.files_digest()
        if not self.options.recheck and self.recorded.get("run") == whole:
            self.unchanged_files = True
            self.seconds = time.monotonic() - started
            return
        self.had_imdb_ids = OutsideId.objects.filter(source=SOURCE).exists()
        self.log("Reading title.ratings…")
        self.load_ratings()
        self.match_by_title()
        self.log("Importing films from title.basics…")
        self.import_titles()
        if self.akas.in_step:
            self.log(f"{len(self.films):,} films, with their alternate titles.")
        else:
            self.log(f"{len(self.films):,} films. Importing alternate titles from title.akas…")
            self.import_akas()
        self.remove_dropped_akas()
        self.log("Finding the people the films need (title.principals, title.crew)…")
        self.collect_people()
        self.log(f"{len(self.needed_people):,} people needed. Importing them from name.basics…")
        self.import_people()
        self.log("Importing credits from title.principals and title.crew…")
        self.import_credits()
        self.report_unlisted()
        if not self.options.dry_run:
            self.batch("run", whole, lambda *changes: None, "all six files", always=True)
        self.seconds = time.monotonic() - started


# SQLite, for the import's connection only; each comes back afterwards.
# A page cache of SQLITE_CACHE_MB (the default is 2 MB): past a few thousand
# films, each insert into the credits' and search indexes went back to the
# file. Within the 500 MB the import may take, with the importer's own ~170 MB.
SQLITE_CACHE_MB = 192
# The WAL is copied into the database file when it reaches SQLITE_WAL_MB
# (the default is 4 MB). A batch rewrites many of the same index pages as
# the batch before; copied back less often, each page is written once for
# several batches (commits at 30,000 titles: 6.0 → 2.4 s). Disk, not memory.
SQLITE_WAL_MB = 200

# The import's PostgreSQL session settings; each session's own value comes
# back afterwards.
POSTGRESQL_SESSION = {
    # A batch's commit returns before its WAL reaches the disk (what remains
    # of a commit is the deferred foreign-key checks of the rows it copied
    # in). A crash may lose the last few batches, never corrupt anything:
    # each batch commits with its ImportBatch row, so the next run redoes
    # exactly those.
    "synchronous_commit": "off",
    # The slug allocator joins a batch's 2,000 bases to the slug index by
    # ranges, which the planner cannot estimate: it guessed 600 million
    # rows and compiled the query (122 of its 128 ms, at 2.8 million people).
    # Nothing the import asks is worth compiling.
    "jit": "off",
}

# Films or people IMDb no longer lists: the IDs the import names.
UNLISTED_SHOWN = 10

# Columns


FILM_INSERT = {
    "id", "title", "original_title", "year", "runtime_minutes", "slug", "search_text",
    "field_sources", "outside_values", "external_rating", "external_rating_votes",
    "created_at", "updated_at",
}  # fmt: skip
UPDATE_FILM_COLUMNS = [*FILM_FIELDS, "field_sources", "outside_values"]
PERSON_INSERT = {
    "id", "name", "slug", "search_text", "field_sources", "outside_values", "created_at",
    "updated_at",
}  # fmt: skip
RATING_INSERT = {"id", "film_id", "source", "value", "scale", "votes", "as_of", "url", "shown"}
AKA_COLUMNS = ["id", "film_id", "title", "note", "language", "region", "source"]
CREDIT_INSERT = {
    "id", "film_id", "person_id", "role", "job", "character", "credited_as", "billing_order",
    "is_star", "source",
}  # fmt: skip


class AkasInStep:
    """title.akas read in step with title.basics's batches. IMDb publishes
    both in title order, so a batch's alternate titles are the next lines of
    title.akas, and films can be written with them (their search text once,
    not again after a pass of its own). Should either file be out of order,
    `in_step` turns False for good and the importer's akas pass adds what
    is missing (it skips alternate titles a film already has)."""

    def __init__(self, rows):
        self.rows = rows
        self.ahead = None  # the first line of a later batch
        self.last_line = -1  # title number of the last line read
        self.last_batch = -1  # highest title number of the last batch
        self.in_step = True

    def take(self, numbers):
        """{title number: [aka rows]} of a batch's titles."""
        if not self.in_step or not numbers:
            return {}
        if min(numbers) <= self.last_batch:
            self.in_step = False  # title.basics is out of order
            return {}
        wanted, top, found = set(numbers), max(numbers), {}
        while True:
            row = self.ahead or next(self.rows, None)
            self.ahead = None
            if row is None:
                break
            if row[0] < self.last_line:
                self.in_step = False  # title.akas is out of order
                break
            if row[0] > top:
                self.ahead = row
                break
            self.last_line = row[0]
            if row[0] in wanted:
                found.setdefault(row[0], []).append(row)
        self.last_batch = top
        return found

    def finish(self):
        """Read the rest: its bad lines are reported as a pass would."""
        if self.in_step:
            for _row in self.rows:
                pass


def remove(model, rows, what, counts, deleted):
    """Delete rows IMDb no longer lists (whole, as read: dicts with their
    "id"), kept in the batch's `deleted` for its undo and counted."""
    if not rows:
        return
    with connection.cursor() as cursor:
        bulk.delete(cursor, model, [row["id"] for row in rows])
    deleted[model._meta.label] = rows
    counts.add(f"{what} removed (IMDb no longer lists them)", len(rows))


def imdb_values(title):
    return {**title.values(), "genres": list(title.genres)}


def film_update(row, title):
    """(new values of UPDATE_FILM_COLUMNS, previous values) for a film
    already here, or None when nothing changes. Fields are written where
    provenance allows (sources.may_write); IMDb's values always go beside."""
    sources = dict(row["field_sources"] or {})
    outside = dict(row["outside_values"] or {})
    new = {f: row[f] for f in FILM_FIELDS}
    old = {}
    for name, value in title.values().items():
        if row[name] == value or (value in (None, "") and row[name] in (None, "")):
            continue
        if may_write(sources, name, row[name], SOURCE):
            old[name] = row[name]
            new[name] = value
            sources[name] = SOURCE
    if outside.get(SOURCE) != imdb_values(title):
        outside[SOURCE] = imdb_values(title)
        old["outside_values"] = row["outside_values"]
    if not old:
        return None
    old["field_sources"] = row["field_sources"]
    old.setdefault("outside_values", row["outside_values"])
    new["field_sources"] = Film._meta.get_field("field_sources").get_db_prep_save(
        sources, connection
    )
    new["outside_values"] = Film._meta.get_field("outside_values").get_db_prep_save(
        outside, connection
    )
    return new, old


def summarise(counts):
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())[:300]
