"""A fan's suggested correction to one fact of a film or a person."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A source is a web page: no javascript:, data:, ftp: or file: address.
WEB_SCHEMES = ["http", "https"]
web_url_validator = URLValidator(
    schemes=WEB_SCHEMES, message="Enter the address of a web page (http:// or https://)."
)

# The facts fans may correct, by subject; "other" leaves it to staff to apply
# by hand (a credit, a release date), and the explanation says what.
OTHER = "other"
FILM_FACTS = [
    "title",
    "original_title",
    "year",
    "tagline",
    "summary",
    "synopsis",
    "runtime_minutes",
    "colour",
    "aspect_ratio",
    "sound_mix",
]
PERSON_FACTS = ["name", "biography"]
OTHER_LABEL = "Something else (say what in the explanation)"


class CorrectionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Correction.Status.PENDING)

    def with_subject(self):
        """Each correction with the film or person it is about (title, name, slug)."""
        return self.select_related("film", "person").only(
            *(f.name for f in Correction._meta.concrete_fields),
            "film__title",
            "film__year",
            "film__slug",
            "person__name",
            "person__slug",
        )

    def unread_decisions_for(self, user):
        """Decisions the fan has not dismissed yet: their profile says so."""
        return self.filter(author=user, author_notified=False).exclude(
            status=Correction.Status.PENDING
        )


class Correction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for staff"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="corrections"
    )
    film = models.ForeignKey(
        "catalog.Film", null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    person = models.ForeignKey(
        "catalog.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    field = models.CharField("fact", max_length=40)
    # What the fact said when the fan suggested the change, for staff to compare.
    current_value = models.TextField(blank=True)
    proposed_value = models.TextField("correct value", max_length=5000)
    explanation = models.TextField(max_length=2000)
    source_url = models.URLField("source", max_length=500, validators=[web_url_validator])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(
        blank=True, max_length=2000, help_text="Shown to the fan who suggested it."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The history entry an accepted correction made: the public history page
    # labels it "Correction accepted".
    revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The fan dismissed the notice of the decision on their profile.
    author_notified = models.BooleanField(default=False, editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(film__isnull=False, person__isnull=True)
                | Q(film__isnull=True, person__isnull=False),
                name="correction_of_a_film_or_a_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined"]),
                name="correction_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="correction_declined_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="correction_decided_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(source_url__startswith="http://")
                | Q(source_url__startswith="https://"),
                name="correction_source_is_a_web_page",
            ),
        ]
        indexes = [
            # The staff queue: waiting corrections, oldest first.
            models.Index(fields=["status", "created_at"], name="correction_queue_idx"),
            # A fan's own page, newest first, and the notice on their profile.
            models.Index(fields=["author", "-created_at"], name="correction_author_idx"),
            # The public history page's "Correction accepted" labels.
            models.Index(fields=["revision"], name="correction_revision_idx"),
        ]

    def __str__(self):
        return f"{self.field_label} of {self.subject}"

    @property
    def subject(self):
        return self.film if self.film_id else self.person

    @property
    def field_label(self):
        if self.field == OTHER:
            return "Something else"
        model = type(self.subject) if self.subject is not None else None
        try:
            return str(model._meta.get_field(self.field).verbose_name).capitalize()
        except (AttributeError, LookupError):
            return self.field

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
