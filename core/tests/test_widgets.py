"""QuickSelect writes exactly the HTML Django's own Select writes."""

import pytest
from django import forms

from core.widgets import QuickSelect

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"
CHOICES = [
    ("", "Any"),
    ("iran", "Iran"),
    ("cote-divoire", "Côte d’Ivoire"),
    ("fa", "فارسی"),
    (HOSTILE, HOSTILE),
    (7, "A number"),
]
GROUPED = [
    ("", "Any"),
    ("Asia", [("iran", "Iran"), ("japan", "Japan")]),
    ("Europe & <more>", [("france", "France")]),
]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED], ids=["flat", "grouped"])
@pytest.mark.parametrize("value", ["", "iran", "fa", HOSTILE, 7, None, "not-a-choice", "x" * 500])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_country"},
        {"id": "id_country", "required": True, "disabled": False, "data-x": HOSTILE},
        {"aria-describedby": "id_country_error", "aria-invalid": "true"},
    ],
)
def test_the_same_markup_as_djangos_select(choices, value, attrs):
    ours = QuickSelect(choices=choices).render("country", value, attrs=attrs)
    django = forms.Select(choices=choices).render("country", value, attrs=attrs)
    assert str(ours) == str(django)


def test_labels_and_values_are_escaped():
    html = str(QuickSelect(choices=CHOICES).render("country", HOSTILE))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "selected" in html


def test_the_film_lists_filter_form_uses_it():
    from catalog.filters import FilmFilterSet

    form = FilmFilterSet().form
    selects = [
        name for name, field in form.fields.items() if isinstance(field.widget, forms.Select)
    ]
    assert {"decade", "genre", "country", "language", "min_rating", "sort"} <= set(selects)
    assert all(isinstance(form.fields[name].widget, QuickSelect) for name in selects)
