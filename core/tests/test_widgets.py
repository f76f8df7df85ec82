"""QuickSelect and QuickInput write exactly the HTML Django's own widgets write."""

import pytest
from django import forms

from core.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput

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


INPUT_ATTRS = [
    None,
    {"id": "id_q", "maxlength": 200},
    {"inputmode": "numeric", "pattern": "[0-9]{4}", "size": 6, "required": True, "disabled": False},
    {"aria-describedby": "id_q_error", "aria-invalid": "true", "data-x": HOSTILE},
]


@pytest.mark.parametrize("value", ["", "amélie", "19x7", HOSTILE, 1997, 7.5, None, "x" * 500])
@pytest.mark.parametrize("attrs", INPUT_ATTRS)
def test_the_same_markup_as_djangos_text_input(value, attrs):
    ours = QuickTextInput(attrs={"size": 4}).render("q", value, attrs=attrs)
    django = forms.TextInput(attrs={"size": 4}).render("q", value, attrs=attrs)
    assert str(ours) == str(django)


@pytest.mark.parametrize("value", [True, False, None, "", "on", HOSTILE])
@pytest.mark.parametrize("attrs", INPUT_ATTRS)
def test_the_same_markup_as_djangos_checkbox(value, attrs):
    ours = QuickCheckboxInput().render("has_reviews", value, attrs=attrs)
    django = forms.CheckboxInput().render("has_reviews", value, attrs=attrs)
    assert str(ours) == str(django)


def test_the_film_lists_text_boxes_and_checkbox_use_it():
    from catalog.filters import FilmFilterSet

    fields = FilmFilterSet().form.fields
    for name in ("q", "year_min", "year_max", "person", "min_outside_rating"):
        assert isinstance(fields[name].widget, QuickTextInput), name
    assert isinstance(fields["has_reviews"].widget, QuickCheckboxInput)
