"""A fan's import: upload → preview → confirm.

`prepare()` reads and checks the upload, matches every row to a film and
keeps the result (rows and films, never the file) in the fan's
PendingImport; the preview page shows it. `apply()` writes what the fan
confirmed, in one transaction, through the apps that own the rows: ratings
and reviews through reviews.services (films' counters stay exact), diary
entries and the watchlist through the diary app (fandata/diary_bridge.py).

Importing the same file twice changes nothing: ratings equal to the fan's are
left alone, a film already reviewed keeps its review, a viewing already in the
diary on the same date is not logged again, and the watchlist holds a film once.
"""

from collections import Counter
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from catalog.models import Film
from reviews import services as reviews

from . import diary_bridge, formats, matching
from .models import PendingImport
from .uploads import read_upload

SOURCE_NAMES = {"letterboxd": "Letterboxd", "imdb": "IMDb"}
REVIEW_TITLE_LENGTH = 80


def prepare(user, uploaded):
    """Check, read and match an upload; keep it as the fan's pending import
    (replacing any earlier one). Raises uploads.UploadError."""
    upload = read_upload(uploaded)
    if upload.kind == "letterboxd":
        rows = formats.read_letterboxd(upload.files)
    else:
        rows = formats.read_imdb(
            upload.files["ratings.csv"], name=uploaded.name[:100] or "ratings.csv"
        )
    if len(rows) > formats.MAX_ROWS:
        raise formats.UploadError(f"The export has more than {formats.MAX_ROWS:,} rows in all.")
    results = matching.match(rows)
    keys = list(results)
    index = {key: n for n, key in enumerate(keys)}
    films = [
        {
            "status": status,
            "films": [
                {"pk": f.pk, "title": f.title, "year": f.year, "slug": f.slug} for f in found
            ],
        }
        for status, found in (results[key] for key in keys)
    ]
    payload = []
    for row in rows:
        item = row.as_dict()
        item["film"] = index[row.key]
        payload.append(item)
    PendingImport.objects.expired().delete()
    PendingImport.objects.update_or_create(
        user=user,
        defaults={
            "source": upload.kind,
            "file_name": (uploaded.name or "")[:200],
            "rows": payload,
            "films": films,
            "created_at": timezone.now(),
        },
    )


class Preview:
    """What the preview page shows of a pending import."""

    def __init__(self, pending):
        self.pending = pending
        self.source = SOURCE_NAMES.get(pending.source, pending.source)
        self.films = pending.films
        self.rows = pending.rows
        for number, group in enumerate(self.films):
            group["number"] = number
            group["rows"] = []
        for row in self.rows:
            self.films[row["film"]]["rows"].append(row)
        by_status = {matching.MATCHED: [], matching.AMBIGUOUS: [], matching.UNMATCHED: []}
        for group in self.films:
            by_status[group["status"]].append(group)
        self.matched = by_status[matching.MATCHED]
        self.ambiguous = by_status[matching.AMBIGUOUS]
        self.unmatched = by_status[matching.UNMATCHED]
        self.kinds = Counter(row["kind"] for row in self.rows)
        self.problems = [row for row in self.rows if row["problems"]]


def _aware(day):
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


def _day(iso):
    return date.fromisoformat(iso) if iso else None


def _review_title(text, film_title):
    first = " ".join(text.split())
    if not first:
        return f"On {film_title}"[:200]
    if len(first) <= REVIEW_TITLE_LENGTH:
        return first
    return first[: REVIEW_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def apply(user, pending, choices):
    """Write a pending import. `choices` maps an ambiguous group's number to
    the film id the fan picked (or None: skip). Returns a Counter of what was
    written (ratings, reviews, diary, watchlist)."""
    # Locked first: a double click confirms once; the second finds it gone.
    if not list(PendingImport.objects.select_for_update().filter(pk=pending.pk).values("pk")):
        return Counter()
    chosen = {}
    for number, group in enumerate(pending.films):
        ids = [film["pk"] for film in group["films"]]
        if group["status"] == matching.MATCHED:
            chosen[number] = ids[0]
        elif group["status"] == matching.AMBIGUOUS and choices.get(number) in ids:
            chosen[number] = choices[number]
    # Films deleted since the preview are skipped.
    titles = dict(Film.objects.filter(pk__in=set(chosen.values())).values_list("pk", "title"))
    rows = [(row, chosen[row["film"]]) for row in pending.rows if chosen.get(row["film"]) in titles]
    written = Counter()

    # Stars: the ratings file's, else those of the latest viewing or review.
    latest = {}
    for row, film_id in rows:
        if row["kind"] in ("diary", "review") and row["points"] is not None:
            when = row["watched_on"] or row["on"]
            if film_id not in latest or when >= latest[film_id][0]:
                latest[film_id] = (when, row["points"])
    points = {film_id: stars for film_id, (_, stars) in latest.items()}
    for row, film_id in rows:
        if row["kind"] == "rating" and row["points"] is not None:
            points[film_id] = row["points"]
    new_reviews = []
    for row, film_id in rows:
        if row["kind"] == "review" and row["review"]:
            new_reviews.append(
                {
                    "film_id": film_id,
                    "title": _review_title(row["review"], titles[film_id]),
                    "body": row["review"],
                    "published_at": _aware(row["on"]) if row["on"] else timezone.now(),
                    "source": SOURCE_NAMES[pending.source],
                }
            )
    written["reviews"] = reviews.import_fans_reviews(user, new_reviews)
    written["ratings"] = reviews.import_fans_ratings(user, points)
    viewings = [
        diary_bridge.Viewing(
            film_id=film_id,
            watched_on=date.fromisoformat(row["watched_on"] or row["on"]),
            rewatch=row["rewatch"],
            logged_on=_day(row["on"]),
            rated=row["points"] is not None,
        )
        for row, film_id in rows
        # A review is a viewing when it says when (Letterboxd's are); an
        # undated one (ours, exported) stays a review, so a round trip
        # makes no viewing up.
        if (row["kind"] == "diary" and (row["watched_on"] or row["on"]))
        or (row["kind"] == "review" and row["watched_on"])
    ]
    written["diary"] = diary_bridge.import_viewings(user, viewings)
    watchlist = [
        diary_bridge.Wanted(film_id=film_id, added_on=_day(row["on"]))
        for row, film_id in rows
        if row["kind"] == "watchlist"
    ]
    written["watchlist"] = diary_bridge.import_watchlist(user, watchlist)
    pending.delete()
    return written


def summary(written):
    """The message after an import: what was written, in words."""
    parts = [
        f"{written[key]} {label}{'' if written[key] == 1 else 's'}"
        for key, label in [
            ("ratings", "rating"),
            ("reviews", "review"),
            ("diary", "diary entry"),
            ("watchlist", "watchlist film"),
        ]
        if written[key]
    ]
    if not parts:
        return "Imported: nothing new (everything in the file was already here)."
    return "Imported: " + ", ".join(parts).replace("diary entrys", "diary entries") + "."
