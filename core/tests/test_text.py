"""fold() takes a shortcut for ASCII text; it must fold exactly as the full path."""

import random
import string

import pytest

from core.text import fold, index_text

# Real-looking ASCII titles and names, with what the folding rules are about:
# elisions, other apostrophes, dotted abbreviations, numbers next to letters,
# punctuation, underscores and runs of spaces.
TITLES = [
    "Children of Heaven",
    "Le Fabuleux Destin d'Amelie Poulain",
    "L'Avventura",
    "Qu'il etait bon",
    "Dell'Arte e dell'amore",
    "O'Brien's Law",
    "Zohre's shoes",
    "E.T. the Extra-Terrestrial",
    "Titan A.E.",
    "L.A. Confidential",
    "Mr. Smith Goes to Washington",
    "K. M. Karimi",
    "Alien3",
    "Alien 3",
    "2001: A Space Odyssey",
    "1.85:1 and 2.5",
    "8 1/2",
    "Se7en",
    "M*A*S*H",
    "Bacheha-Ye Aseman",
    "snake_case_title",
    "  spaces   everywhere  ",
    "`backtick` and 'single' quotes",
    "WALL-E",
    "",
]


def full_path(text):
    """fold() by its full path: a trailing combining accent makes the text
    non-ASCII, and the full path then drops that accent before any rule
    that could see it."""
    return fold(text + "\u0301")


@pytest.mark.parametrize("text", TITLES)
def test_ascii_titles_fold_as_by_the_full_path(text):
    assert fold(text) == full_path(text)


def test_random_ascii_folds_as_by_the_full_path():
    rng = random.Random(1997)
    alphabet = string.printable + "''''....      "
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert fold(text) == full_path(text), text
        assert fold(text, abbreviations=False) == fold(text + "\u0301", abbreviations=False)


def test_the_full_path_still_folds_accents_scripts_and_digits():
    assert fold("Le Fabuleux Destin d'Amélie Poulain") == "le fabuleux destin d amelie poulain"
    assert fold("Alien³") == "alien 3"
    assert fold("۱۳۷۶") == "1376"
    assert fold("بچه‌های آسمان") == "بچه های اسمان"
    assert fold("天国の子供たち") == "天 国 の 子 供 た ち"
    assert fold("8½") == "8 1 2"


def test_index_text_is_unchanged_for_ascii_names():
    assert index_text("E.T. the Extra-Terrestrial") == (
        "et the extra terrestrial etthe theextra extraterrestrial e t tthe"
    )
