"""Form widgets and labels shared by the apps, written as Django writes them, faster."""

import html

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> with the same HTML as Django's, built in Python.

    Django renders each <option> through a template of its own, after
    building a dictionary of context for it (ChoiceWidget.optgroups and
    create_option): the film list's filter form (countries, languages,
    genres, decades: some 450 options) spent 9 ms of a 32 ms page there.
    This reads the choices once and writes each option as one escaped
    string, choosing the selected option as Django does: the first whose
    value matches, or every match for a multiple select. The two are held
    side by side in core/tests/test_widgets.py.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        wanted = self.format_value(value)
        one_selected = False

        def option(value, label):
            nonlocal one_selected
            value = "" if value is None else str(value)
            selected = (self.allow_multiple_selected or not one_selected) and value in wanted
            one_selected |= selected
            shown = " selected" if selected else ""
            return f'\n  <option value="{_escape(value)}"{shown}>{_escape(label)}</option>\n'

        # The whitespace of django/forms/widgets/select.html and select_option.html.
        parts = [format_html('<select name="{}"{}>', name, _attrs(attrs))]
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(format_html('\n  <optgroup label="{}">', group_value))
                parts.extend(option(value, label) for value, label in group_label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped


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


def _escape(text):
    """conditional_escape, less the check for lazy arguments Django's
    keep_lazy makes on every call (a third of an option's time); the
    same result, since str() resolves a lazy string."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


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


class QuickLabels:
    """A form mixin whose fields' <label> tags are built in Python.

    BoundField.label_tag works out the label's text and attributes, then
    renders them through django/forms/label.html and attrs.html: 90-150 µs
    a label, 1.6 ms for the film list's thirteen. Form.render is where it
    hands over, so that is the one step replaced; the markup is Django's
    (core/tests/test_widgets.py holds the two side by side)."""

    def render(self, template_name=None, context=None, renderer=None):
        if template_name is None or template_name != self.template_name_label:
            return super().render(template_name, context, renderer)
        # The markup of django/forms/label.html.
        if not context["use_tag"]:
            return conditional_escape(context["label"])
        return format_html(
            "<{}{}>{}</{}>",
            context["tag"],
            _attrs(context["attrs"] or {}),
            context["label"],
            context["tag"],
        )
