"""Post an admin change form as a browser would: every field of the form and
of its inline formsets with the values the page shows, plus any changes."""


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def form_data(response, **changes):
    """The POST data of the change form in `response` (a GET of the admin's
    change or revert page), with `changes` applied ({field: value}; inline
    fields by their prefixed names, such as "credits-0-DELETE")."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[name] = _value(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _value(inline_form[name])
    # An extra (empty) inline form posted with its defaults is skipped by the
    # formset as unchanged, as in a browser.
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None, [])}
