"""IMDb's files as IMDb documents them (https://developer.imdb.com/non-commercial-datasets/):
gzip, UTF-8, tab-separated, a header line, `\\N` for null, no quoting."""

import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

NULL = "\\N"

COLUMNS = {
    "title.basics": [
        "tconst", "titleType", "primaryTitle", "originalTitle", "isAdult",
        "startYear", "endYear", "runtimeMinutes", "genres",
    ],
    "title.akas": [
        "titleId", "ordering", "title", "region", "language", "types", "attributes",
        "isOriginalTitle",
    ],
    "name.basics": [
        "nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles",
    ],
    "title.principals": ["tconst", "ordering", "nconst", "category", "job", "characters"],
    "title.crew": ["tconst", "directors", "writers"],
    "title.ratings": ["tconst", "averageRating", "numVotes"],
}  # fmt: skip

TITLE_ID = re.compile(r"tt([0-9]{7,10})\Z")
NAME_ID = re.compile(r"nm([0-9]{7,10})\Z")


class BadLine(Exception):
    """A line that cannot be imported; the message is the reason."""


def id_number(text, prefix):
    """The number of an IMDb ID with this prefix ("tt0118849" → 118849), or
    None. str methods rather than a regular expression: called for every line."""
    digits = text[2:] if text else ""
    if text[:2] == prefix and 7 <= len(digits) <= 10 and digits.isascii() and digits.isdigit():
        return int(digits)
    return None


def title_number(text):
    number = id_number(text or "", "tt")
    if number is None:
        raise BadLine(f"not an IMDb title ID: {text!r:.40}")
    return number


def name_number(text):
    number = id_number(text or "", "nm")
    if number is None:
        raise BadLine(f"not an IMDb name ID: {text!r:.40}")
    return number


def title_id(number):
    return f"tt{number:07d}"


def name_id(number):
    return f"nm{number:07d}"


@dataclass
class BadLines:
    """Bad lines, skipped and reported: every one counted, the first
    `shown` of each reason printed as they come."""

    write: callable
    shown: int = 20
    counts: dict = field(default_factory=dict)
    # Files are read more than once; each bad line is reported once.
    seen: set = field(default_factory=set)

    def add(self, file, line_number, reason):
        if (file, line_number) in self.seen:
            return
        self.seen.add((file, line_number))
        kind = reason.split(":")[0]
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        if n <= self.shown:
            self.write(f"{file}:{line_number}: {reason}")
        elif n == self.shown + 1:
            self.write(f"(further “{kind}” lines are counted, not shown)")

    @property
    def total(self):
        return sum(self.counts.values())


def find(folder, name):
    """The file for `name` in folder: name.tsv.gz as IMDb publishes it, or an unpacked name.tsv."""
    for candidate in (f"{name}.tsv.gz", f"{name}.tsv"):
        path = Path(folder) / candidate
        if path.is_file():
            return path
    return None


def read(path, name, bad_lines):
    """Yield (line number, [fields]) of a file, `\\N` as None; lines with the
    wrong number of columns or not in UTF-8 are reported and skipped.
    Raises ValueError when the header is not IMDb's."""
    expected = COLUMNS[name]
    if path.suffix == ".gz":
        # GzipFile's own line iteration is Python code per line; a buffered
        # reader over it splits lines in C (half the time of reading a file).
        stream = io.BufferedReader(gzip.open(path, "rb"), buffer_size=1 << 16)
    else:
        stream = open(path, "rb")
    with stream:
        header = stream.readline().decode("utf-8-sig", "replace").rstrip("\r\n").split("\t")
        if header != expected:
            raise ValueError(
                f"{path.name}: the header is not IMDb's {name} header "
                f"(expected {' '.join(expected)}, found {' '.join(header)[:200]})"
            )
        width = len(expected)
        for number, raw in enumerate(stream, start=2):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(path.name, number, "not UTF-8")
                continue
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) != width:
                if len(fields) == 1 and not fields[0]:
                    continue  # a blank line, such as a trailing one
                reason = "too few columns" if len(fields) < width else "too many columns"
                bad_lines.add(path.name, number, f"{reason}: {len(fields)} of {width}")
                continue
            yield number, [None if value == NULL else value for value in fields]
