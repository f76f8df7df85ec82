"""Checks on a fan's uploaded export before anything reads it as data.

An upload is a Letterboxd export (a ZIP of CSV files) or an IMDb ratings CSV.
Nothing is written to disk by us and nothing is trusted: the size is capped,
a ZIP is refused when it holds too many members, promises too much
uncompressed data (a "ZIP bomb"), is encrypted, or names a path outside
itself (`..`, an absolute path); each member is read with a hard limit, so a
member whose header lies about its size cannot grow past it; text must be
UTF-8. Every refusal is an `UploadError` with words for the fan.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass

# A Letterboxd export of 5,000 films with reviews is well under 2 MB.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# Letterboxd's files this site reads; the rest of an export (lists, likes,
# comments, profile) is left unread.
LETTERBOXD_FILES = ("ratings.csv", "diary.csv", "watchlist.csv", "reviews.csv", "watched.csv")


class UploadError(ValueError):
    """A refused upload; str() is the message for the fan."""


@dataclass
class Upload:
    kind: str  # "letterboxd" or "imdb"
    files: dict  # {file name: text}


def read_upload(uploaded):
    """An Upload from a Django UploadedFile, or UploadError."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is too large ({uploaded.size:,} bytes); "
            f"the limit is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
    data = b"".join(uploaded.chunks())
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return Upload("letterboxd", read_letterboxd_zip(data))
    return Upload("imdb", {"ratings.csv": decode(data, uploaded.name or "the file")})


def decode(data, name):
    try:
        # utf-8-sig: IMDb's and Excel's files may start with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(
            f"{name} is not UTF-8 text (unreadable byte at position {error.start:,}). "
            "Upload the file as the site exported it."
        ) from None
    if "\x00" in text:
        raise UploadError(f"{name} holds NUL characters: it is not a CSV file.")
    return text


def _safe_name(name):
    parts = name.replace("\\", "/").split("/")
    return not (name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]))


def read_letterboxd_zip(data):
    """{file name: text} of the Letterboxd files at the top of the ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadError("This is not a ZIP file we can read.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadError(
            f"The ZIP holds {len(members):,} files; a Letterboxd export has far fewer "
            f"(the limit is {MAX_ZIP_MEMBERS})."
        )
    for member in members:
        if not _safe_name(member.filename):
            raise UploadError(f"The ZIP names a file outside itself ({member.filename[:100]!r}).")
        if member.flag_bits & 0x1:
            raise UploadError("The ZIP is encrypted; upload the export as Letterboxd made it.")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise UploadError(
            "The ZIP unpacks to more than "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB; a Letterboxd export is far smaller."
        )
    files = {}
    for member in members:
        if member.filename not in LETTERBOXD_FILES or member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                # One byte past the limit tells a lying header from an honest one.
                content = stream.read(MAX_UNCOMPRESSED_BYTES + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            ValueError,
            OSError,
            EOFError,
        ):
            raise UploadError(f"{member.filename} in the ZIP is damaged.") from None
        if len(content) > MAX_UNCOMPRESSED_BYTES:
            raise UploadError(f"{member.filename} in the ZIP is too large.")
        files[member.filename] = decode(content, member.filename)
    if not files:
        raise UploadError(
            "The ZIP holds none of Letterboxd's files (ratings.csv, diary.csv, "
            "watchlist.csv, reviews.csv, watched.csv)."
        )
    return files
