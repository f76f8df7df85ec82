"""Dumps of the public catalogue written by `manage.py export_catalogue`."""

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone


class DumpQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-created_at", "-id")


class Dump(models.Model):
    """One dump: its files live in the media storage under opendata/<name>/."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # {file name: {"bytes": n, "sha256": hex}}, in the order written.
    files = models.JSONField(default=dict)
    # {table: rows}
    row_counts = models.JSONField(default=dict)
    licence = models.TextField()

    objects = DumpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The download page: the latest dump.
            models.Index(fields=["-created_at", "-id"], name="dump_latest_idx"),
        ]

    def __str__(self):
        return self.name

    def path(self, file_name):
        return f"opendata/{self.name}/{file_name}"

    def url(self, file_name):
        return default_storage.url(self.path(file_name))

    def file_list(self):
        """[(name, url, bytes, sha256)] for the download page, data files first."""
        return [
            (name, self.url(name), entry["bytes"], entry["sha256"])
            for name, entry in self.files.items()
        ]

    def delete_files(self):
        for file_name in self.files:
            default_storage.delete(self.path(file_name))
