from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, Prefetch
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from core.db import row_counts
from core.links import slug_url
from core.pagination import CappedPaginator, ClampedPaginationMixin
from core.seo import DEFAULT_SHARE_IMAGE
from core.text import MAX_QUERY_LENGTH

from . import history, pages, share_cards, structured_data
from .filters import FilmFilterSet, PersonFilterSet
from .models import Credit, Film, OutsideId, Person, SlugRedirect, Still
from .search import has_the_words, mark_credited_as_matches


class HomeView(TemplateView):
    """New films, the most rated ones and whatever feature apps add (latest
    reviews): the same few queries for one film or a hundred thousand, each a
    LIMIT over an index (film_created_idx, film_rating_count_idx)."""

    template_name = "catalog/home.html"
    row_size = 12

    def get_context_data(self, **kwargs):
        # Exact on small catalogues, PostgreSQL's estimate on large ones.
        film_count, person_count = row_counts(Film, Person)
        latest = list(Film.objects.for_cards().order_by("-created_at", "-id")[: self.row_size])
        popular = []
        # With a catalogue no longer than one row, "new" shows it all already.
        if film_count.value > len(latest):
            popular = list(
                Film.objects.for_cards()
                .filter(rating_count__gt=0)
                .order_by("-rating_count", "title", "id")[: self.row_size]
            )
        return super().get_context_data(
            latest_films=latest,
            popular_films=popular,
            sections=pages.load_sections(pages.HOME_PAGE),
            film_count=film_count,
            person_count=person_count,
            **kwargs,
        )


class FilteredListMixin(ClampedPaginationMixin):
    """A list narrowed by a FilterSet read from the query string. Invalid
    values come back as form errors; the valid filters still apply."""

    filterset_class = None
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=super().get_queryset()
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        # How many filters are set, for the folded form's summary ("2 on").
        active = sum(1 for name in form.fields if self.request.GET.get(name, "").strip())
        return super().get_context_data(filter_form=form, active_filters=active, **kwargs)


class FilmListView(FilteredListMixin, ListView):
    filterset_class = FilmFilterSet
    queryset = Film.objects.for_cards().order_by("title", "year", "id")
    paginate_by = 24
    context_object_name = "films"


SLUG_MAX_LENGTH = 320
# Films (people) a missed address offers.
SUGGESTIONS = 5
# A card changes with its film's title, year or director: rarely.
SHARE_CARD_MAX_AGE = 24 * 3600


class SlugRedirectMixin:
    """A slug the film or person no longer has answers 301 to its page (the
    same sub-page: /films/<old>/cast/ → /films/<new>/cast/). Only a miss
    costs the look-up."""

    redirect_kind = "film"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get("slug", "")
            if "\x00" in slug or len(slug) > SLUG_MAX_LENGTH:
                raise  # no slug was ever that (and PostgreSQL refuses NUL in text)
            target = SlugRedirect.objects.target(self.redirect_kind, slug)
            if target is None:
                return self.not_found(slug)
            old_page = slug_url(f"catalog:{self.redirect_kind}-detail", slug)
            if not request.path.startswith(old_page):
                raise
            new_url = target.get_absolute_url() + request.path[len(old_page) :]
            if request.GET:
                # The same page of it: ?heading=Acting&page=2.
                new_url += "?" + request.GET.urlencode()
            return HttpResponsePermanentRedirect(new_url)

    def not_found(self, slug):
        """The 404 page, offering what the address's words find: a guessed
        or half-remembered address (/films/children-of-heaven/) is one click
        from the page it meant."""
        words = slug.replace("-", " ")[:MAX_QUERY_LENGTH].strip()
        if self.redirect_kind == "film":
            found = Film.objects.for_cards().search(words, SUGGESTIONS)
        else:
            found = Person.objects.for_links().search(words, SUGGESTIONS)
        context = {"suggestions": found, "searched": words}
        return TemplateResponse(self.request, "404.html", context, status=404)


class FilmDetailView(SlugRedirectMixin, DetailView):
    """The film page: everything on it comes from pages.FilmPage."""

    queryset = Film.objects.all()
    context_object_name = "film"

    def get_context_data(self, **kwargs):
        page = pages.FilmPage.build(self.object, self.request.build_absolute_uri)
        return super().get_context_data(page=page, **kwargs)


class FilmShareCardView(SlugRedirectMixin, DetailView):
    """A film's title card (share_cards.py), which its pages name as their
    link-preview picture when it has no poster; the generic picture when
    the card cannot be drawn."""

    queryset = Film.objects.for_cards()

    def render_to_response(self, context):
        try:
            png = share_cards.render(self.object, settings.SITE_NAME)
        except share_cards.CannotDraw:
            return HttpResponseRedirect(static(DEFAULT_SHARE_IMAGE))
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = f"public, max-age={SHARE_CARD_MAX_AGE}"
        return response


class FilmCastView(SlugRedirectMixin, DetailView):
    """Full cast and crew: every credit of one film, crew grouped by job."""

    queryset = Film.objects.all()
    context_object_name = "film"
    template_name = "catalog/film_cast.html"

    def get_context_data(self, **kwargs):
        credits = list(Credit.objects.filter(film=self.object).select_related("person"))
        cast = [credit for credit in credits if credit.role == Credit.Role.CAST]
        crew = [credit for credit in credits if credit.role == Credit.Role.CREW]
        cast.sort(key=Credit.billing_sort_key)
        crew.sort(key=lambda credit: (credit.job, *Credit.billing_sort_key(credit)))
        crew_by_job = [(job, list(group)) for job, group in groupby(crew, key=lambda c: c.job)]
        return super().get_context_data(cast=cast, crew_by_job=crew_by_job, **kwargs)


class FilmHistoryView(ClampedPaginationMixin, ListView):
    """A film's public history: when its facts changed and which, never who
    changed them (catalog/history.py). Five queries whatever the length, one
    more for the import batches and one for each app labelling entries."""

    paginate_by = 20
    context_object_name = "versions"
    template_name = "catalog/film_history.html"

    def get_queryset(self):
        self.film = get_object_or_404(
            Film.objects.only("title", "year", "slug"), slug=self.kwargs["slug"]
        )
        return history.versions_of(self.film)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(film=self.film, **kwargs)
        page = context["page_obj"]
        # The version just older than the page's last, to tell what that one changed.
        older = list(self.object_list[page.end_index() : page.end_index() + 1])
        context["entries"] = history.film_history(
            list(page.object_list), older[0] if older else None
        )
        # Bulk imports are batches, not revisions: listed apart, newest first.
        context["import_batches"] = [
            (batch.finished_at or batch.started_at, history.public_batch_label(batch))
            for batch in history.import_batches_of(self.film, limit=20)
        ]
        return context


class PersonListView(FilteredListMixin, ListView):
    filterset_class = PersonFilterSet
    queryset = Person.objects.order_by("name", "id")
    paginate_by = 60
    context_object_name = "people"


KNOWN_FOR_SIZE = 6


def known_for(credits):
    """The few films a person page shows first: starring parts, then the
    films most rated here, then the newest; each film once. From the credits
    the page loaded already (no query)."""
    ranked = sorted(
        credits,
        key=lambda c: (not c.is_star, -c.film.rating_count, -(c.film.year or 0), c.film.title),
    )
    films = {}
    for credit in ranked:
        films.setdefault(credit.film.pk, credit.film)
    return list(films.values())[:KNOWN_FOR_SIZE]


# A person page lists this many credits under each heading, newest first;
# the rest are a click away (PersonFilmographyView).
FILMOGRAPHY_SHOWN = 50


@dataclass
class FilmographySection:
    heading: str  # "Acting", or a crew job
    credits: list  # the newest FILMOGRAPHY_SHOWN
    total: int
    more_url: str  # every credit under the heading, when some are not shown


class PersonDetailView(SlugRedirectMixin, DetailView):
    """A person: known-for films, then their credits under a heading a role
    (acting, each crew job), the newest FILMOGRAPHY_SHOWN of each. Four
    queries, a fifth for the known-for films of a person with more credits
    than that under a heading."""

    context_object_name = "person"
    redirect_kind = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch(
                "credits",
                queryset=Credit.objects.filmography(FILMOGRAPHY_SHOWN),
                to_attr="shown_credits",
            ),
            Prefetch("stills", queryset=Still.objects.select_related("film")),
            Prefetch("outside_ids", queryset=OutsideId.objects.all(), to_attr="outside_id_list"),
        )

    def get_context_data(self, **kwargs):
        person = self.object
        filmography = []
        for heading, credits in groupby(person.shown_credits, key=Credit.filmography_heading):
            credits = list(credits)
            total = credits[0].heading_total
            more_url = self.heading_url(heading) if total > len(credits) else ""
            filmography.append(FilmographySection(heading, credits, total, more_url))
        candidates = person.shown_credits
        if any(section.more_url for section in filmography):
            # Some credits are not loaded: the known-for films among them all.
            candidates = person.credits.known_for_candidates(KNOWN_FOR_SIZE)
        return super().get_context_data(
            filmography=filmography,
            known_for=known_for(candidates),
            roles=[section.heading for section in filmography],
            films_url=self.films_url(),
            structured_data=structured_data.person_data(
                person,
                self.request.build_absolute_uri,
                credits=person.shown_credits,
                outside_ids=person.outside_id_list,
            ),
            **kwargs,
        )

    def heading_url(self, heading):
        url = reverse("catalog:person-filmography", kwargs={"slug": self.object.slug})
        return f"{url}?{urlencode({'heading': heading})}"

    def films_url(self):
        """The film list narrowed to this person, when it lists anything:
        "with person" counts directing and acting only."""
        person = self.object
        if not any(credit.is_directing_or_acting() for credit in person.shown_credits):
            return ""
        params = {"person": person.slug}
        if not FilmFilterSet(params, queryset=Film.objects.none()).form.is_valid():
            return ""
        return f"{reverse('catalog:film-list')}?{urlencode(params)}"


class PersonFilmographyView(SlugRedirectMixin, ClampedPaginationMixin, ListView):
    """Every credit of a person under one heading of their page (?heading=
    Acting, Director…), newest first, a hundred a page. Without a heading,
    their first one; a heading they have no credit under is a 404."""

    redirect_kind = "person"
    paginate_by = 100
    context_object_name = "credits"
    template_name = "catalog/person_filmography.html"

    def get_queryset(self):
        self.person = get_object_or_404(
            Person.objects.only("name", "slug"), slug=self.kwargs["slug"]
        )
        self.heading = self.request.GET.get("heading", "")
        if not self.heading or "\x00" in self.heading or len(self.heading) > MAX_HEADING:
            raise Http404("No such heading.")
        return (
            Credit.objects.filter(person=self.person)
            .under_heading(self.heading)
            .select_related("film")
        )

    def get(self, request, *args, **kwargs):
        if "heading" not in request.GET:
            person = get_object_or_404(Person.objects.only("slug"), slug=kwargs["slug"])
            first = person.credits.order_by("role", "job").first()
            if first is None:
                raise Http404("They have no credits.")
            url = reverse("catalog:person-filmography", kwargs={"slug": person.slug})
            return HttpResponseRedirect(
                f"{url}?{urlencode({'heading': first.filmography_heading()})}"
            )
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        if not paginated[0].count:
            # The page's own count, rather than ListView's allow_empty query.
            raise Http404("They have no credit under this heading.")
        return paginated

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, heading=self.heading, **kwargs)


MAX_HEADING = Credit._meta.get_field("job").max_length


class TaxonomyFilmListView(ClampedPaginationMixin, ListView):
    """Landing page of a genre, country or language: the films filed under it."""

    taxonomy_model = None
    paginate_by = 24
    # Drama alone may hold a third of the catalogue: count no further than
    # the list's page links go.
    paginator_class = CappedPaginator
    context_object_name = "films"
    template_name = "catalog/taxonomy_detail.html"

    def get_queryset(self):
        self.taxonomy = get_object_or_404(self.taxonomy_model, slug=self.kwargs["slug"])
        return self.taxonomy.films.for_cards().order_by("title", "year", "id")

    def get_context_data(self, **kwargs):
        meta = self.taxonomy_model._meta
        return super().get_context_data(
            taxonomy=self.taxonomy,
            kind=meta.verbose_name,
            kind_plural=meta.verbose_name_plural,
            list_url=reverse(f"catalog:{meta.model_name}-list"),
            **kwargs,
        )


class TaxonomyListView(ClampedPaginationMixin, ListView):
    """/genres/, /countries/, /languages/: every one with films filed under
    it, by name, with its number of films counted up to FILM_COUNT_CAP
    ("more than 1,000 films" beyond). Two queries whatever the number of
    rows: the paginator's count and the page.

    Counting is capped for the same reason lists are (CappedPaginator):
    an exact count reads every film link, 200,000 rows for genres at
    100,000 films (0.7 s under load on PostgreSQL); a capped one reads at
    most FILM_COUNT_CAP + 1 index entries a row shown."""

    FILM_COUNT_CAP = 1000

    taxonomy_model = None
    paginate_by = 100
    context_object_name = "taxonomies"
    template_name = "catalog/taxonomy_list.html"

    def get_queryset(self):
        films = self.taxonomy_model._meta.get_field("films")
        link = films.through
        column = link._meta.get_field(films.field.m2m_reverse_field_name()).column
        table = connection.ops.quote_name(link._meta.db_table)
        own_table = connection.ops.quote_name(self.taxonomy_model._meta.db_table)
        capped_count = RawSQL(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} "
            f"WHERE {table}.{connection.ops.quote_name(column)} = {own_table}.id LIMIT %s) capped",
            [self.FILM_COUNT_CAP + 1],
            output_field=IntegerField(),
        )
        has_films = Exists(link.objects.filter(**{column: OuterRef("pk")}))
        return (
            self.taxonomy_model.objects.filter(has_films)
            .annotate(film_count=capped_count)
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        meta = self.taxonomy_model._meta
        return super().get_context_data(
            kind=meta.verbose_name,
            kind_plural=meta.verbose_name_plural,
            film_count_cap=self.FILM_COUNT_CAP,
            film_count_cap_label=f"{self.FILM_COUNT_CAP:,}",
            **kwargs,
        )


class SearchView(TemplateView):
    """Films and people matching the query, exact title or name first."""

    template_name = "catalog/search.html"
    results_per_group = 20

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
        # One more than shown, to know whether to offer "more".
        people = Person.objects.for_links().search(query, self.results_per_group + 1)
        # A query that is someone's name is not a misspelt title: no films
        # by similar words then ("seddiqi" spent 58 ms on them at 900,000
        # films, for titles that only look like the name).
        named = any(has_the_words(person.name, query) for person in people)
        films = Film.objects.for_cards().search(
            query, self.results_per_group + 1, similar=not named
        )
        more_people = len(people) > self.results_per_group
        people = mark_credited_as_matches(people[: self.results_per_group], query)
        return super().get_context_data(
            query=query,
            films=films[: self.results_per_group],
            more_films=len(films) > self.results_per_group,
            people=people,
            more_people=more_people,
            **kwargs,
        )


def robots_txt(request):
    """Crawlers may read every public page; the sitemap index lists them.

    The admin is disallowed only at the default path: a custom
    DJANGO_ADMIN_PATH exists to keep the admin away from bots, and naming it
    here would publish it. Admin pages tell crawlers not to index them anyway.
    """
    lines = ["User-agent: *"]
    if settings.ADMIN_PATH == "admin/":
        lines.append(f"Disallow: /{settings.ADMIN_PATH}")
    else:
        lines.append("Disallow:")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
