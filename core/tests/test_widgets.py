"""QuickSelect and QuickInput write exactly the HTML Django's own widgets write."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.widgets import QuickCheckboxInput, QuickLabels, QuickSelect, QuickTextInput

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"
CHOICES = [
    ("", "Any"),
    ("iran", "Iran"),
    ("cote-divoire", "Côte d’Ivoire"),
    ("fa", "فارسی"),
    (HOSTILE, HOSTILE),
    (7, "A number"),
    ("lazy", gettext_lazy("A lazy label")),
    ("safe", mark_safe("<b>Already safe</b> &amp;")),
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


class MultipleQuickSelect(QuickSelect):
    allow_multiple_selected = True


def test_a_value_given_twice_is_selected_once_as_django_does():
    choices = [("a", "First"), ("b", "Second"), ("a", "Again")]
    ours = QuickSelect(choices=choices).render("x", "a")
    django = forms.Select(choices=choices).render("x", "a")
    assert str(ours) == str(django)
    assert str(ours).count("selected") == 1


@pytest.mark.parametrize("value", [["iran", "fa"], [], None, ["not-a-choice"], [HOSTILE, 7]])
@pytest.mark.parametrize("choices", [CHOICES, GROUPED], ids=["flat", "grouped"])
def test_a_multiple_select_selects_every_match_as_django_does(choices, value):
    ours = MultipleQuickSelect(choices=choices).render("country", value)
    django = forms.SelectMultiple(choices=choices).render("country", value)
    assert str(ours) == str(django)


class PlainForm(forms.Form):
    required_css_class = "is-required"
    title = forms.CharField(label=HOSTILE)
    year = forms.IntegerField(label="Which year?", required=False)
    note = forms.CharField(label="", required=False)
    plain = forms.CharField(required=False)
    suffixed = forms.CharField(label="Own suffix", label_suffix=" →", required=False)
    picked = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)


class QuickForm(QuickLabels, PlainForm):
    pass


LABEL_CALLS = [
    {},
    {"label_suffix": ""},
    {"contents": "Typed <b>by hand</b>"},
    {"attrs": {"class": "x", "data-x": HOSTILE}},
    {"tag": "span"},
]


@pytest.mark.parametrize("auto_id", ["id_%s", "custom-%s", False])
@pytest.mark.parametrize("call", LABEL_CALLS)
def test_the_same_labels_as_djangos(auto_id, call):
    ours, django = QuickForm(auto_id=auto_id), PlainForm(auto_id=auto_id)
    for name in PlainForm.base_fields:
        assert str(ours[name].label_tag(**call)) == str(django[name].label_tag(**call)), name
        assert str(ours[name].legend_tag()) == str(django[name].legend_tag()), name


def test_a_label_is_escaped():
    html = str(QuickForm()["title"].label_tag())
    assert "<script>" not in html
    assert html.startswith('<label for="id_title" class="is-required">&lt;script&gt;')


def test_whole_forms_render_the_same():
    data = {"title": HOSTILE, "year": "19x7", "picked": "iran"}
    assert str(QuickForm(data)) == str(PlainForm(data))
    assert QuickForm(data).as_p() == PlainForm(data).as_p()
