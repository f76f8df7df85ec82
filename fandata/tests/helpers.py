"""Exports made in the tests: Letterboxd ZIPs and IMDb CSVs."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from fandata.formats import LETTERBOXD_COLUMNS


def csv_text(columns, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def letterboxd_zip(files=None, *, raw=None, extra_members=()):
    """A ZIP like Letterboxd's export. `files` maps a file name to its rows
    (lists of cells in Letterboxd's column order); `raw` maps a member name
    to bytes written as they are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in (files or {}).items():
            archive.writestr(name, csv_text(LETTERBOXD_COLUMNS[name], rows))
        for name, data in (raw or {}).items():
            archive.writestr(name, data)
        for name in extra_members:
            archive.writestr(name, "")
    return buffer.getvalue()


def upload(data, name="letterboxd-export.zip"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


IMDB_COLUMNS = [
    "Const", "Your Rating", "Date Rated", "Title", "Original Title", "URL", "Title Type",
    "IMDb Rating", "Runtime (mins)", "Year", "Genres", "Num Votes", "Release Date", "Directors",
]  # fmt: skip


def imdb_csv(rows):
    """IMDb's ratings export: rows of (const, your rating, date rated, title, year)."""
    return csv_text(
        IMDB_COLUMNS,
        [
            [const, rating, rated, title, title, f"https://www.imdb.com/title/{const}/",
             "Movie", "8.0", "90", year, "Drama", "1000", f"{year}-01-01", "Someone"]
            for const, rating, rated, title, year in rows
        ],
    ).encode()  # fmt: skip
