"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> with the same HTML as Django's, built in Python.

    Django renders each <option> through a template of its own: the film
    list's filter form (countries, languages, genres, decades: some 450
    options) spent 9 ms of a 32 ms page there. The same markup from
    format_html takes a fraction of it; the options' values and labels are
    escaped as the templates escape them (core/tests/test_widgets.py holds
    the two side by side).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # The whitespace of django/forms/widgets/select.html and select_option.html.
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))  # noqa: S308 - each part built by format_html


class QuickInput:
    """An <input> with the same HTML as Django's, built in Python, as
    QuickSelect is: 24-37 µs against Django's 99-139 µs through input.html
    and attrs.html, about 0.6 ms for the film list's six inputs. Mixed into
    Django's own input widgets, which still say what the value and the
    attributes are. Their class names no longer end in the input type, so
    templates ask `widget.input_type` rather than BoundField.widget_type."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # The whitespace of django/forms/widgets/input.html.
        shown = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            shown,
            _attrs(widget["attrs"]),
        )


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


def _attrs(attrs):
    # As django/forms/widgets/attrs.html, in the same order: True is a bare
    # name, False is left out, anything else is name="value".
    return mark_safe(  # noqa: S308 - each part built by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )
