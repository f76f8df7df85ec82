"""Posting admin change forms as a browser would, inlines included."""

from django.db.models.fields.files import FieldFile


def changeform_data(response):
    """The POST data of a rendered admin add or change page: every field of
    the form and of each inline's existing rows, plus the inlines' management
    forms (with no blank extra rows). Tests change what they need and post."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or isinstance(value, FieldFile):
                continue
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = len(formset.initial_forms)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial)
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(initial)
        for form in formset.initial_forms:
            add(form)
    return data


def add_inline_row(data, prefix, **fields):
    """Append one new row to an inline formset in posted data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)
    return data
