"""A fan's upload waiting for their confirmation."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# An upload left unconfirmed longer than this is forgotten.
PENDING_IMPORT_LIFETIME = timedelta(hours=1)


class PendingImportQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME)

    def current_for(self, user):
        """The fan's pending import, or None (none, or expired)."""
        return self.filter(user=user).exclude(pk__in=self.expired().values("pk")).first()


class PendingImport(models.Model):
    """What a fan's upload was read into, shown in the preview until they
    confirm: rows and the films they matched, never the file itself. One per
    fan (a new upload replaces it); deleted when confirmed or cancelled, and
    ignored (then deleted by the next upload) after PENDING_IMPORT_LIFETIME."""

    class Source(models.TextChoices):
        LETTERBOXD = "letterboxd", "Letterboxd"
        IMDB = "imdb", "IMDb"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_import"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    file_name = models.CharField(max_length=200, blank=True)
    # formats.Row dicts, each with "film": an index into `films`.
    rows = models.JSONField(default=list)
    # One entry per distinct film in the file: {"status", "films": [{pk, title, year, slug}]}.
    films = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=["letterboxd", "imdb"]),
                name="pending_import_source_valid",
            ),
        ]
        indexes = [
            # Clearing expired uploads (importer.prepare).
            models.Index(fields=["created_at"], name="pending_import_created_idx"),
        ]

    def __str__(self):
        return f"{self.user}'s {self.get_source_display()} import ({len(self.rows)} rows)"
