"""A fan's data as a ZIP of CSV files in Letterboxd's layout (formats.py),
so they can take it to Letterboxd, a spreadsheet, or back here: the
"Letterboxd URI" column holds this site's address of each film, which the
importer recognises first."""

import io
import zipfile

from reviews.models import Rating, Review

from . import diary_bridge
from .formats import LETTERBOXD_COLUMNS, write_csv


def stars(points):
    """Points out of 10 as Letterboxd's stars: 9 → "4.5", 8 → "4"."""
    if points is None:
        return ""
    return str(points // 2) if points % 2 == 0 else f"{points // 2}.5"


def _day(moment):
    return moment.date().isoformat() if moment else ""


def export_zip(user, absolute):
    """The ZIP's bytes. `absolute` turns a path into a full URL."""

    def film_cells(film):
        return [film.title, film.year or "", absolute(film.get_absolute_url())]

    ratings = (
        Rating.objects.filter(user=user)
        .select_related("film")
        .only("points", "updated_at", "film__title", "film__year", "film__slug")
        .order_by("updated_at", "pk")
    )
    reviews = (
        Review.objects.filter(author=user)
        .select_related("film", "rating_row")
        .order_by("published_at", "pk")
    )
    diary = diary_bridge.diary_records(user)
    files = {
        "ratings.csv": [
            [_day(r.updated_at), *film_cells(r.film), stars(r.points)] for r in ratings.iterator()
        ],
        "reviews.csv": [
            [_day(r.published_at), *film_cells(r.film), stars(r.rating), "", r.body, "", ""]
            for r in reviews
        ],
        "diary.csv": [
            [logged.isoformat(), *film_cells(film), stars(points), "Yes" if rewatch else "", "",
             watched.isoformat()]
            for logged, film, points, rewatch, watched in diary
        ],
        "watchlist.csv": [
            [added.isoformat(), *film_cells(film)]
            for added, film in diary_bridge.watchlist_records(user)
        ],
    }  # fmt: skip
    watched = {}
    for logged, film, _, _, _ in diary:
        watched.setdefault(film.pk, [logged.isoformat(), *film_cells(film)])
    files["watched.csv"] = list(watched.values())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, records in files.items():
            archive.writestr(name, write_csv(LETTERBOXD_COLUMNS[name], records))
    return buffer.getvalue()
