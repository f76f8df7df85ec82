"""Credits: one person's part in one film, in the cast or the crew."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from .sources import source_field

# Billing order, unbilled credits last, then by name (and by id, so that two
# queries that pick "the first" of a film's credits pick the same one).
IN_BILLING_ORDER = (models.F("billing_order").asc(nulls_last=True), "person__name", "pk")
# What a link to a person needs, and what a person card shows.
PERSON_LINK_FIELDS = ("name", "slug")
PERSON_CARD_FIELDS = (*PERSON_LINK_FIELDS, "photo", "photo_width", "photo_height")
# A person's filmography: newest first, films without a year last.
NEWEST_FIRST = (F("film__year").desc(nulls_last=True), F("film__title").asc(), F("pk").asc())


class CreditQuerySet(models.QuerySet):
    def cast(self):
        """Acting credits in billing order; unbilled ones last."""
        return self.filter(role=Credit.Role.CAST).order_by(*IN_BILLING_ORDER)

    def crew(self):
        return self.filter(role=Credit.Role.CREW).order_by("job", *IN_BILLING_ORDER)

    def directors(self):
        return self.crew().filter(job=Credit.DIRECTOR)

    def stars(self):
        """The few names a source headlines ("Stars: …"), in billing order."""
        return self.cast().filter(is_star=True)

    def directing_or_acting(self):
        """The credits that put a film in the film list's "with person" filter
        (Credit.is_directing_or_acting says the same of one credit)."""
        return self.filter(Q(role=Credit.Role.CAST) | Q(role=Credit.Role.CREW, job=Credit.DIRECTOR))

    def under_heading(self, heading):
        """The credits a person page lists under `heading` ("Acting", or a
        crew job: Credit.filmography_heading), newest first."""
        if heading == Credit.ACTING:
            return self.filter(role=Credit.Role.CAST).order_by(*NEWEST_FIRST)
        return self.filter(role=Credit.Role.CREW, job=heading).order_by(*NEWEST_FIRST)

    def filmography(self, shown):
        """Credits with their films under a person page's headings (acting,
        then each crew job), newest first, at most `shown` a heading, each
        with `heading_total`, the number under its heading. One query
        however many credits: a prolific actor has thousands."""
        heading = [F("role"), F("job")]
        return (
            self._with_film_card()
            .annotate(
                heading_rank=Window(RowNumber(), partition_by=heading, order_by=NEWEST_FIRST),
                heading_total=Window(Count("pk"), partition_by=heading),
            )
            .filter(heading_rank__lte=shown)
            .order_by("role", "job", *NEWEST_FIRST)
        )

    def known_for_candidates(self, size):
        """The credits a person's known-for films come from when not all of
        theirs are loaded (views.known_for ranks them the same way): starring
        parts, then the films most rated here, then the newest."""
        order = ("-is_star", "-film__rating_count", *NEWEST_FIRST)
        # A film may hold several of one person's credits: enough for `size` films.
        return self._with_film_card().order_by(*order)[: size * 4]

    def _with_film_card(self):
        """Each credit with what a film card shows of its film (a person
        page's known-for films); a thousand credits' films without their
        synopses and histograms."""
        from .film import FilmQuerySet

        return self.select_related("film").only(
            *(field.name for field in Credit._meta.concrete_fields),
            *(f"film__{name}" for name in FilmQuerySet.CARD_FIELDS),
        )

    def director_names(self, film_ids):
        """{film id: [director's name, …]} for these films, in credit order."""
        names = {}
        for film_id, name in (
            self.directors().filter(film_id__in=film_ids).values_list("film_id", "person__name")
        ):
            names.setdefault(film_id, []).append(name)
        return names

    def with_person_link(self):
        """Each credit with just what a link to its person needs (name and
        slug): the person's other columns, dates and texts among them, cost
        more to load than the query takes to run."""
        return self._with_person(PERSON_LINK_FIELDS)

    def with_person_card(self):
        """Each credit with what a person card shows: name, slug and photo."""
        return self._with_person(PERSON_CARD_FIELDS)

    def _with_person(self, person_fields):
        return self.select_related("person").only(
            *(field.name for field in Credit._meta.concrete_fields),
            *(f"person__{name}" for name in person_fields),
        )

    def headliners(self):
        """Directors and stars together, in billing order: the names a film
        page puts first, in one query."""
        return self.filter(
            Q(role=Credit.Role.CREW, job=Credit.DIRECTOR) | Q(role=Credit.Role.CAST, is_star=True)
        ).order_by(*IN_BILLING_ORDER)

    def first_director(self):
        """The person ID of the first-billed director, as a subquery."""
        return self.directors().order_by(*IN_BILLING_ORDER).values("person_id")[:1]

    def lead_actor(self):
        """The person ID a film is known by in its cast, as a subquery: its
        first-billed star, else its first-billed actor."""
        return (
            self.cast()
            .order_by(models.F("is_star").desc(), *IN_BILLING_ORDER)
            .values("person_id")[:1]
        )


class Credit(models.Model):
    """One person's part in one film: a role in the cast or a job in the crew."""

    class Role(models.TextChoices):
        CAST = "cast", "Cast"
        CREW = "crew", "Crew"

    DIRECTOR = "Director"
    ACTING = "Acting"  # a person page's heading for their cast credits

    # No single-column indexes: credit_unique and credit_film_billing_idx
    # start with the film, credit_person_role_idx with the person, and every
    # index is one more write for each of an import's millions of credits.
    film = models.ForeignKey(
        "catalog.Film", on_delete=models.CASCADE, related_name="credits", db_index=False
    )
    person = models.ForeignKey(
        "catalog.Person", on_delete=models.PROTECT, related_name="credits", db_index=False
    )
    role = models.CharField(max_length=4, choices=Role.choices, default=Role.CAST)
    job = models.CharField(
        max_length=100, blank=True, help_text="Crew only: Director, Writer, Cinematographer…"
    )
    character = models.CharField(max_length=300, blank=True, help_text="Cast only.")
    credited_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name on screen when it differs from the person's name.",
    )
    billing_order = models.PositiveSmallIntegerField(null=True, blank=True)
    is_star = models.BooleanField(
        "star", default=False, help_text="Among the few names headlined for the film."
    )
    # Imports rewrite only their own credits (catalog.models.sources).
    source = source_field()

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["film", "role", "billing_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "job", "character"], name="credit_unique"
            ),
            models.CheckConstraint(
                condition=Q(role="cast", job="")
                | (Q(role="crew", character="", is_star=False) & ~Q(job="")),
                name="credit_cast_has_character_crew_has_job",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["cast", "crew"]), name="credit_role_valid"
            ),
        ]
        indexes = [
            # Film page and cast page: a film's credits by role in billing order.
            models.Index(fields=["film", "role", "billing_order"], name="credit_film_billing_idx"),
            # Person page: a person's filmography.
            models.Index(fields=["person", "role"], name="credit_person_role_idx"),
        ]

    def __str__(self):
        return f"{self.person} in {self.film}" + (f" ({self.part})" if self.part else "")

    def get_absolute_url(self):
        return self.film.get_cast_url()

    def clean(self):
        """The database's check constraints, in the staff's words and on the
        field to fix (the admin would otherwise show «Constraint
        "credit_cast_has_character_crew_has_job" is violated»)."""
        errors = {}
        if self.role == self.Role.CREW:
            if not self.job.strip():
                errors["job"] = (
                    "A crew credit needs a job, such as Director, Writer or Cinematographer."
                )
            if self.character:
                errors["character"] = (
                    "Only cast members play a character: clear it, or make this a cast credit."
                )
            if self.is_star:
                errors["is_star"] = "Only cast members are headlined as stars."
        elif self.role == self.Role.CAST and self.job:
            errors["job"] = (
                "Cast credits have no job: clear it, or choose a crew role such as Director."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def part(self):
        """What the person did: the character played, or the crew job."""
        return self.character if self.role == self.Role.CAST else self.job

    def billing_sort_key(self):
        """Billing order first, unbilled credits after, then by name."""
        return (self.billing_order is None, self.billing_order or 0, self.person.name)

    def filmography_heading(self):
        """The heading a person's page lists this credit under."""
        return self.ACTING if self.role == self.Role.CAST else self.job

    def is_directing_or_acting(self):
        """See CreditQuerySet.directing_or_acting."""
        return self.role == self.Role.CAST or (
            self.role == self.Role.CREW and self.job == self.DIRECTOR
        )
