"""The files fans bring and take: Letterboxd's export layout and IMDb's
ratings export, read into plain rows and written back out.

Letterboxd's export is a ZIP of CSV files with these columns (what this
site reads; Letterboxd adds others, which are ignored):

    ratings.csv    Date, Name, Year, Letterboxd URI, Rating
    diary.csv      Date, Name, Year, Letterboxd URI, Rating, Rewatch, Tags, Watched Date
    reviews.csv    Date, Name, Year, Letterboxd URI, Rating, Rewatch, Review, Tags, Watched Date
    watched.csv    Date, Name, Year, Letterboxd URI
    watchlist.csv  Date, Name, Year, Letterboxd URI

Ratings are 0.5 to 5 stars in half steps, which are exactly this site's 1 to
10 points. IMDb's "Your ratings" export has Const (the tt… id), Your Rating
(1–10, already points), Date Rated, Title, Year and more.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .uploads import UploadError

MAX_ROWS = 10_000
# Longest cell read: a review's text is at most 20,000 characters here.
MAX_CELL = 100_000

LETTERBOXD_COLUMNS = {
    "ratings.csv": ["Date", "Name", "Year", "Letterboxd URI", "Rating"],
    "diary.csv": ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags",
                  "Watched Date"],
    "reviews.csv": ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review",
                    "Tags", "Watched Date"],
    "watched.csv": ["Date", "Name", "Year", "Letterboxd URI"],
    "watchlist.csv": ["Date", "Name", "Year", "Letterboxd URI"],
}  # fmt: skip
# Columns a file must have to be read at all (exports from other tools drop some).
LETTERBOXD_REQUIRED = {
    "ratings.csv": {"Name", "Year", "Rating"},
    "diary.csv": {"Name", "Year"},
    "reviews.csv": {"Name", "Year", "Review"},
    "watched.csv": {"Name", "Year"},
    "watchlist.csv": {"Name", "Year"},
}
IMDB_REQUIRED = {"Const", "Your Rating", "Title", "Year"}

# What each file is to this site.
KIND_OF_FILE = {
    "ratings.csv": "rating",
    "diary.csv": "diary",
    "reviews.csv": "review",
    "watched.csv": "watched",
    "watchlist.csv": "watchlist",
}


@dataclass
class Row:
    """One line of a fan's file, as this site understands it."""

    kind: str  # rating, diary, review, watched, watchlist
    file: str
    line: int
    title: str
    year: int | None = None
    url: str = ""  # Letterboxd URI (or this site's own film URL, in our exports)
    imdb_id: str = ""
    points: int | None = None
    on: str = ""  # ISO date: rated, logged or added
    watched_on: str = ""  # ISO date, diary and reviews
    rewatch: bool = False
    review: str = ""
    problems: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def _unescape(cell):
    # Our exports put a quote before a cell that a spreadsheet would run as a
    # formula (see write_csv); reading it back takes it off again.
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _reader(text, name, required):
    """A DictReader over `text`, after checking its header."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise UploadError(f"{name} is not a readable CSV file ({error}).") from None
    header = [column.strip() for column in header]
    reader.fieldnames = header
    missing = sorted(required - set(header))
    if missing:
        raise UploadError(
            f"{name} does not look like the expected export: it has no "
            + ", ".join(f"“{column}”" for column in missing)
            + " column."
        )
    return reader


def _rows(reader, name):
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    try:
        for number, record in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise UploadError(f"{name} has more than {MAX_ROWS:,} rows.")
            yield (
                number,
                {
                    key: _unescape((value or "").strip())
                    for key, value in record.items()
                    if isinstance(key, str) and isinstance(value, str)
                },
            )
    except csv.Error as error:
        raise UploadError(f"{name} could not be read as CSV ({error}).") from None
    finally:
        csv.field_size_limit(old_limit)


def _year(value, row):
    if not value:
        return None
    if value.isascii() and value.isdigit() and 1888 <= int(value) <= 2200:
        return int(value)
    row.problems.append(f"“{value[:20]}” is not a year")
    return None


def _date(value, row, label):
    if not value:
        return ""
    try:
        parsed = date.fromisoformat(value[:10]) if value.isascii() else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.year < 1888:
        row.problems.append(f"“{value[:30]}” is not a {label} date")
        return ""
    if parsed > date.today():
        row.problems.append(f"{label} date {parsed} is in the future")
        return ""
    return parsed.isoformat()


def letterboxd_points(value, row):
    """Letterboxd's 0.5–5 stars as 1–10 points, exactly; None for no rating."""
    if not value:
        return None
    try:
        stars = Decimal(value) if value.isascii() else None
    except InvalidOperation:
        stars = None
    if (
        stars is None
        or not stars.is_finite()
        or stars * 2 != (stars * 2).to_integral_value()
        or not 1 <= stars * 2 <= 10
    ):
        row.problems.append(f"“{value[:20]}” is not a rating of 0.5 to 5 stars")
        return None
    return int(stars * 2)


def imdb_points(value, row):
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 10:
        return int(value)
    row.problems.append(f"“{value[:20]}” is not a rating of 1 to 10")
    return None


def read_letterboxd(files):
    """Rows from a Letterboxd export's files ({name: text})."""
    rows = []
    for name, text in files.items():
        kind = KIND_OF_FILE[name]
        reader = _reader(text, name, LETTERBOXD_REQUIRED[name])
        for line, cells in _rows(reader, name):
            title = cells.get("Name", "")
            if not title and not any(cells.values()):
                continue  # a blank line
            row = Row(kind=kind, file=name, line=line, title=title[:300])
            if not title:
                row.problems.append("no film title")
            row.year = _year(cells.get("Year", ""), row)
            row.url = cells.get("Letterboxd URI", "")[:500]
            row.on = _date(cells.get("Date", ""), row, "entry")
            if kind in ("rating", "diary", "review"):
                row.points = letterboxd_points(cells.get("Rating", ""), row)
            if kind in ("diary", "review"):
                row.watched_on = _date(cells.get("Watched Date", ""), row, "watched")
                row.rewatch = cells.get("Rewatch", "").lower() in ("yes", "true", "1")
            if kind == "review":
                row.review = cells.get("Review", "")[:20_000]
            rows.append(row)
    return rows


def read_imdb(text, name="ratings.csv"):
    """Rows from IMDb's ratings export."""
    rows = []
    reader = _reader(text, name, IMDB_REQUIRED)
    for line, cells in _rows(reader, name):
        if not any(cells.values()):
            continue
        row = Row(kind="rating", file=name, line=line, title=cells.get("Title", "")[:300])
        const = cells.get("Const", "")
        if (
            const.startswith("tt")
            and const[2:].isascii()
            and const[2:].isdigit()
            and len(const) <= 12
        ):
            row.imdb_id = const
        elif const:
            row.problems.append(f"“{const[:20]}” is not an IMDb title id")
        row.year = _year(cells.get("Year", ""), row)
        row.points = imdb_points(cells.get("Your Rating", ""), row)
        row.on = _date(cells.get("Date Rated", ""), row, "rating")
        rows.append(row)
    return rows


# Cells a spreadsheet reads as a formula (OWASP's list: =, +, -, @, and the
# tab and carriage return that can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A cell that spreadsheets show as text: a quote before a formula start."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(columns, records):
    """CSV text (with Letterboxd's header) of `records`, lists of cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([escape_cell(cell) for cell in record])
    return out.getvalue()
