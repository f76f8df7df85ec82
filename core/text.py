"""Text folding shared by the search index and the search queries.

Both sides go through `fold()`, so a query matches whatever a title or name
looks like once case, accents, punctuation and a few script variants are
set aside: "Bacheha-Ye Aseman" and "bacheha ye aseman" fold to the same words.
"""

import re
import unicodedata

# Letters that Unicode decomposition leaves alone but readers treat as plain
# Latin, plus the Arabic-script letters Persian writes differently (Arabic
# yeh and kaf versus Persian yeh and keheh, alef variants, teh marbuta).
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ـ": "",  # tatweel only stretches a word
        # Persian writes the zero-width non-joiner, a space or nothing between
        # the parts of a word; it separates here, and index_text() adds the
        # parts run together as well.
        "\u200c": " ",
        "\u200d": "",
    }
)

# Apostrophes join ("Zohre's" → "zohres"); every other non-letter separates.
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[^\w]|_")
# Chinese characters and Japanese kana are written without spaces, so each
# one is its own word: a query for part of a title still finds it.
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")

MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


def fold(text):
    """Lower-case, accent-free, punctuation-free words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_EXTRA_FOLDS)
    text = _APOSTROPHES.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    text = _CJK.sub(r" \1 ", text)
    return " ".join(text.split())


def index_text(*names):
    """The searchable text for a row known by several names.

    Each name is folded; each pair of neighbouring words also goes in run
    together, so "Jafar-Mohammadi" is found as "jafarmohammadi" and
    "Kamal Mir Karimi" as "mirkarimi". Words are deduplicated to keep the
    index small.
    """
    words = []
    seen = set()
    for name in names:
        folded = fold(name)
        if not folded:
            continue
        parts = folded.split(" ")
        candidates = parts + [a + b for a, b in zip(parts, parts[1:], strict=False)]
        for word in candidates:
            if word not in seen:
                seen.add(word)
                words.append(word)
    return " ".join(words)


def query_words(query):
    """The folded words of a visitor's query, cut to a sane length and count."""
    return fold((query or "")[:MAX_QUERY_LENGTH]).split()[:MAX_QUERY_WORDS]


# Articles a title may start with (or end with, after a comma: "Matrix,
# The") in the languages of most catalogues; other sites file titles with or
# without them.
TITLE_ARTICLES = frozenset(
    "the a an le la les l un une el los las il lo gli der die das den de het een".split()
)
_ELISION = re.compile(r"^\s*[ld][’'ʼ]", re.IGNORECASE)
_TRAILING_ARTICLE = re.compile(r",\s*([^\W\d_]+)\s*['’ʼ]?\s*$")


def fold_title(title):
    """A title folded for matching against another site's: fold() with a
    leading article ("The Matrix", "L'Avventura") or a trailing one after a
    comma ("Matrix, The") left out. Never empty for a non-empty title."""
    title = title or ""
    trailing = _TRAILING_ARTICLE.search(title)
    if trailing and fold(trailing.group(1)) in TITLE_ARTICLES:
        title = title[: trailing.start()]
    title = _ELISION.sub("", title, count=1) or title
    words = fold(title).split()
    if len(words) > 1 and words[0] in TITLE_ARTICLES:
        words = words[1:]
    return " ".join(words)
