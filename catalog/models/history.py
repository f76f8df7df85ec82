"""Old addresses and bulk work: slugs that moved, and import batches that
can be undone."""

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone


class SlugRedirectQuerySet(models.QuerySet):
    def target(self, kind, slug):
        """The film or person (kind "film"/"person") that once had this slug, or None."""
        row = (
            self.filter(**{f"{kind}__isnull": False}, old_slug=slug)
            .select_related(kind)
            .only(f"{kind}__slug", f"{kind}__id", "old_slug")
            .first()
        )
        return getattr(row, kind) if row else None


class SlugRedirect(models.Model):
    """A slug a film or person no longer has; its old address answers 301.
    Slugs are never reused: a new slug skips these too (catalog.slugs)."""

    old_slug = models.SlugField(max_length=320, allow_unicode=True)
    film = models.ForeignKey(
        "catalog.Film", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "catalog.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_slug"]
        constraints = [
            # A film's and a person's old address may share a slug: two namespaces.
            models.UniqueConstraint(
                fields=["old_slug"], condition=Q(film__isnull=False), name="slug_redirect_film"
            ),
            models.UniqueConstraint(
                fields=["old_slug"],
                condition=Q(person__isnull=False),
                name="slug_redirect_person",
            ),
            models.CheckConstraint(
                condition=Q(film__isnull=False, person__isnull=True)
                | Q(film__isnull=True, person__isnull=False),
                name="slug_redirect_film_or_person",
            ),
        ]

    def __str__(self):
        return f"{self.old_slug} → {self.film or self.person}"

    @classmethod
    def remember(cls, instance, old_slug):
        """Keep `old_slug` answering for `instance` (a Film or Person) after its
        slug changed (staff, or a merge moving a duplicate's address)."""
        kind = instance._meta.model_name
        if not old_slug or old_slug == instance.slug:
            return
        cls.objects.filter(**{f"{kind}__isnull": False}, old_slug=instance.slug).delete()
        cls.objects.update_or_create(
            old_slug=old_slug, **{f"{kind}__isnull": False}, defaults={kind: instance}
        )


class ImportBatch(models.Model):
    """One batch of a bulk import (import_imdb, a staff spreadsheet): what it
    read, what it counted, and what undoing it needs: the ids of the rows it
    created and the previous values of the fields it changed. Written once,
    in the batch's own transaction, so a batch is either all there or not."""

    source = models.CharField(max_length=20)
    file = models.CharField(max_length=300, blank=True)
    # Which batch of a run it was ("titles:12") and a digest of what it read:
    # a later run skips a batch whose input it has already written.
    key = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {"films created": 12, "credits updated": 3, …}
    counts = models.JSONField(default=dict, blank=True)
    # {"catalog.Film": [ids], …}: deleting them undoes the creations.
    created = models.JSONField(default=dict, blank=True)
    # {"catalog.Film": {id: {field: old value}}, …}: writing them back undoes the changes.
    previous = models.JSONField(default=dict, blank=True)
    # {"catalog.Credit": [{field: value, …}, …]}: the rows it deleted, whole,
    # to be made again by an undo.
    deleted = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "import batches"
        indexes = [
            # Admin list, newest first.
            models.Index(fields=["-started_at", "-id"], name="import_batch_started_idx"),
            # An import's start: the digests of its batches still in force.
            models.Index(fields=["source", "key"], name="import_batch_key_idx"),
        ]

    def __str__(self):
        return f"{self.source} batch {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"

    @transaction.atomic
    def undo(self):
        """Put back what the batch changed, delete what it created and make
        again what it deleted, in one transaction. A later batch that changed
        the same rows should be undone first (the admin lists batches newest
        first)."""
        if self.undone_at:
            return False
        from core.page_cache import invalidation

        for label, rows in self.previous.items():
            model = apps.get_model(label)
            for pk, values in rows.items():
                model.objects.filter(pk=pk).update(**values)
        # Children first: credits and titles before the films and people they name.
        order = [
            "catalog.Credit",
            "catalog.AlternateTitle",
            "catalog.OutsideRating",
            "catalog.OutsideId",
            "catalog.Film",
            "catalog.Person",
        ]
        for label in sorted(self.created, key=lambda lbl: order.index(lbl) if lbl in order else -1):
            model = apps.get_model(label)
            ids = self.created[label]
            for start in range(0, len(ids), 500):
                model.objects.filter(pk__in=ids[start : start + 500]).delete()
        # Films whose alternate titles come back: bulk_create sends no
        # signal to refresh their search text.
        retitled = set()
        for label, rows in self.deleted.items():
            model = apps.get_model(label)
            rows = still_placeable(model, rows)
            # A row made since in one's place (same film and title) stays.
            model.objects.bulk_create([model(**row) for row in rows], ignore_conflicts=True)
            if label == "catalog.AlternateTitle":
                retitled.update(row["film_id"] for row in rows)
        film_ids = [int(pk) for pk in self.previous.get("catalog.Film", {})]
        Film = apps.get_model("catalog", "Film")
        if film_ids or retitled:
            Film.objects.filter(pk__in=retitled.union(film_ids)).refresh_search_text()
        if film_ids:
            Film.objects.filter(pk__in=film_ids).sync_external_rating()
        self.undone_at = timezone.now()
        self.save(update_fields=["undone_at"])
        # The whole-run record of the import no longer holds: its next run
        # must read the files again.
        ImportBatch.objects.filter(source=self.source, key="run", undone_at=None).update(
            undone_at=self.undone_at
        )
        invalidation.invalidate_everything()
        return True


def still_placeable(model, rows):
    """The rows whose foreign keys all name rows that still exist: a deleted
    credit of a film deleted since cannot come back."""
    for field in model._meta.concrete_fields:
        if field.is_relation and rows:
            wanted = {row[field.attname] for row in rows} - {None}
            there = set(
                field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True)
            )
            rows = [row for row in rows if row[field.attname] in there | {None}]
    return rows
