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

# Words that French, Italian and Catalan elide before a vowel ("d'Amélie",
# "l'Avventura", "qu'il", "dell'Arte", "un'altra"): the apostrophe after one
# of them at the start of a word separates, so "Amélie" finds "Le Fabuleux
# Destin d'Amélie Poulain". Any other apostrophe joins ("Zohre's" → "zohres",
# "O'Brien" → "obrien").
_ELIDED = (
    "c d j l m n s t qu jusqu lorsqu puisqu quoiqu presqu "
    "dell dall nell sull all coll quell quest un gl bell sant tutt anch"
).split()
_APOSTROPHE_CHARS = "'’ʼ`´‘"
_ELISION = re.compile(r"(?<!\w)({})[{}](?=\w)".format("|".join(_ELIDED), _APOSTROPHE_CHARS))
_APOSTROPHES = re.compile(f"[{_APOSTROPHE_CHARS}]")
# A dotted abbreviation is one word: "E.T." → "et", "L.A." → "la",
# "Titan A.E." → "titan ae". Only single letters between the dots, so "Mr.",
# "2.5" and "K. M. Karimi" are left to the general rules.
_LETTER = r"[^\W\d_]"
_DOTTED_ABBREVIATION = re.compile(rf"(?<![\w.]){_LETTER}(?:\.{_LETTER})+\.?(?!\w)")
# Vulgar fractions ("8½") decompose to "1⁄2" glued to the number before them;
# a space first keeps "8½" from reading as "81 2".
_FRACTIONS = re.compile("([\u00bc-\u00be\u2150-\u215f\u2189])")
# Digits of any script ("۱۳۷۶", "١٩٩٧") read as ASCII digits, and a number
# is a word of its own next to letters: "Alien³" and "Alien 3" are both
# "alien 3" (superscripts decompose to plain digits first).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_LETTER_DIGIT = re.compile(rf"(?<={_LETTER})(?=\d)|(?<=\d)(?={_LETTER})")
_NOT_WORD = re.compile(r"[^\w]|_")
# Chinese characters and Japanese kana are written without spaces, so each
# one is its own word: a query for part of a title still finds it.
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")

MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


def fold(text, abbreviations=True):
    """Lower-case, accent-free, punctuation-free words separated by single spaces.

    With `abbreviations=False` a dotted abbreviation is split into its
    letters ("e t") instead of run together ("et"); index_text() stores both.
    """
    text = text or ""
    # Most names and titles are ASCII, which has no fractions, accents,
    # extra folds, other digits nor CJK: those five steps would leave it as
    # it is, and they are most of the time an import spends folding.
    ascii_only = text.isascii()
    if ascii_only:
        text = text.lower()
    else:
        text = _FRACTIONS.sub(r" \1", text)
        text = unicodedata.normalize("NFKD", text).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.translate(_EXTRA_FOLDS)
    if abbreviations:
        text = _DOTTED_ABBREVIATION.sub(lambda match: match[0].replace(".", ""), text)
    text = _ELISION.sub(r"\1 ", text)
    text = _APOSTROPHES.sub("", text)
    if not ascii_only:
        text = _OTHER_DIGIT.sub(lambda match: str(unicodedata.decimal(match[0])), text)
    text = _LETTER_DIGIT.sub(" ", text)
    text = _NOT_WORD.sub(" ", text)
    if not ascii_only:
        text = _CJK.sub(r" \1 ", text)
    return " ".join(text.split())


def index_text(*names):
    """The searchable text for a row known by several names.

    Each name is folded; each pair of neighbouring words also goes in run
    together, so "Jafar-Mohammadi" is found as "jafarmohammadi",
    "Kamal Mir Karimi" as "mirkarimi" and "d'Amélie" as "damelie" (as it
    was folded before elisions were split). Words are deduplicated to keep
    the index small.
    """
    words = []
    seen = set()
    for name in names:
        # A dotted abbreviation is found run together ("et") and letter by
        # letter ("e t"), as it might be typed without its dots.
        forms = [fold(name)]
        if "." in (name or ""):
            forms.append(fold(name, abbreviations=False))
        for folded in forms:
            for word in _words_and_pairs(folded):
                if word not in seen:
                    seen.add(word)
                    words.append(word)
    return " ".join(words)


def _words_and_pairs(folded):
    if not folded:
        return []
    parts = folded.split(" ")
    # Two numbers are never run together: "8½" is "8 1 2", not also "12";
    # "1.85" is not "185".
    pairs = [
        a + b for a, b in zip(parts, parts[1:], strict=False) if not (a.isdigit() and b.isdigit())
    ]
    return parts + pairs


def query_words(query):
    """The folded words of a visitor's query, cut to a sane length and count."""
    return fold((query or "")[:MAX_QUERY_LENGTH]).split()[:MAX_QUERY_WORDS]


def last_word_is_complete(query):
    """Whether a query ends in punctuation ("E.T.", "Alien!"), so its last
    word was typed in full and is not the start of a longer one."""
    query = (query or "")[:MAX_QUERY_LENGTH].rstrip()
    return bool(query) and not query[-1].isalnum()


# Articles a title may start with (or end with, after a comma: "Matrix,
# The") in the languages of most catalogues; other sites file titles with or
# without them.
TITLE_ARTICLES = frozenset(
    "the a an le la les l un une el los las il lo gli der die das den de het een".split()
)
_LEADING_ELISION = re.compile(r"^\s*[ld][’'ʼ]", re.IGNORECASE)
_TRAILING_ARTICLE = re.compile(r",\s*([^\W\d_]+)\s*['’ʼ]?\s*$")


def fold_title(title):
    """A title folded for matching against another site's: fold() with a
    leading article ("The Matrix", "L'Avventura") or a trailing one after a
    comma ("Matrix, The") left out. Never empty for a non-empty title."""
    title = title or ""
    trailing = _TRAILING_ARTICLE.search(title)
    if trailing and fold(trailing.group(1)) in TITLE_ARTICLES:
        title = title[: trailing.start()]
    title = _LEADING_ELISION.sub("", title, count=1) or title
    words = fold(title).split()
    if len(words) > 1 and words[0] in TITLE_ARTICLES:
        words = words[1:]
    return " ".join(words)
