"""The serialization format of history versions ("history_json"): Django's
JSON, except that a version read back is completed from the row as it is now.

A version holds only what history keeps (catalog/history.py): a film without
its rating counters, a review with its status alone. Reverting writes the
deserialized row back whole, so without this every column left out would be
written with its default: a film's counters set to zero, a review's text
emptied. Completing it here, not in a pre_save signal, also covers
reversion's preview of an old version, which mutes every signal.
"""

from django.core.serializers import json
from django.utils import timezone

Serializer = json.Serializer


class Deserializer(json.Deserializer):
    def _handle_object(self, obj):
        stored = set(obj.get("fields", {}))
        for deserialized in super()._handle_object(obj):
            complete_from_current_row(deserialized.object, stored)
            yield deserialized


def complete_from_current_row(instance, stored):
    """Set every column of `instance` not in `stored` (field names) to its
    current value in the database; for a deleted row brought back, the
    automatic dates become now (a raw save would leave them empty)."""
    model = type(instance)
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.name not in stored
        and f.attname not in stored
        and not f.primary_key
        and not f.generated
    ]
    if not missing:
        return
    row = (
        model._default_manager.filter(pk=instance.pk).values(*(f.attname for f in missing)).first()
        if instance.pk is not None
        else None
    )
    for f in missing:
        if row is not None:
            setattr(instance, f.attname, row[f.attname])
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            setattr(instance, f.attname, timezone.now())
