from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from catalog.models import Credit, Film, FilmQuerySet
from core.pagination import ClampedPaginationMixin
from core.ratelimit import rate_limited
from reviews import profile
from reviews.models import Rating, Review

from . import feed, services
from .forms import (
    DiaryEntryForm,
    FilmListForm,
    FilmSearchForm,
    ListEntryNoteForm,
    MoveForm,
    WatchlistFilterSet,
    WatchlistSortForm,
    WatchlistVisibilityForm,
)
from .models import DiaryEntry, FilmList, ListEntry

# Shared by the JSON answers of the buttons that work in place.
JSON = "application/json"


def _wants_json(request):
    return request.headers.get("Accept", "").startswith(JSON)


def _back(request, fallback):
    """Where a plain form post returns: the page it came from (`next`, if it
    is on this site), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(): it would read "5-" or "home" as a view's name.
        return HttpResponseRedirect(target)
    return redirect(fallback)


def _active_fan(username):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


class FanPageMixin(ClampedPaginationMixin):
    """A page of a fan's (looked up by username) with the profile header."""

    def get_fan(self):
        self.fan = _active_fan(self.kwargs["username"])
        return self.fan

    def get_context_data(self, **kwargs):
        return super().get_context_data(fan=self.fan, profile=profile.header(self.fan), **kwargs)


# Watchlist


@login_required
@require_POST
@rate_limited("watchlist")
def watchlist_toggle(request, slug):
    """Add (action=add) or remove (action=remove) a film: a plain form that
    redirects back, or JSON for static/js/diary.js."""
    film = get_object_or_404(Film.objects.only("pk", "slug", "title"), slug=slug)
    adding = request.POST.get("action") != "remove"
    if adding:
        services.add_to_watchlist(request.user, film)
        message = f"{film.title} is on your watchlist."
    else:
        services.remove_from_watchlist(request.user, film)
        message = f"{film.title} is off your watchlist."
    if _wants_json(request):
        return JsonResponse({"on_watchlist": adding, "message": message})
    messages.success(request, message)
    return _back(request, film)


class WatchlistView(FanPageMixin, ListView):
    """A fan's watchlist: films, sortable and filtered like the film list.
    Private watchlists are a 404 to everyone but their fan (and never cached:
    see urls.py)."""

    template_name = "diary/watchlist.html"
    context_object_name = "films"
    paginate_by = 24

    def get_queryset(self):
        fan = self.get_fan()
        self.is_owner = self.request.user.pk == fan.pk
        if not (fan.watchlist_is_public or self.is_owner):
            raise Http404("No such watchlist.")
        films = (
            Film.objects.for_cards()
            .filter(watchlist_entries__user=fan)
            .annotate(added_at=F("watchlist_entries__added_at"))
        )
        self.filterset = WatchlistFilterSet(self.request.GET or None, queryset=films)
        self.sort_form = WatchlistSortForm(self.request.GET or None)
        return self.filterset.qs.order_by(*self.sort_form.ordering())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filterset.form,
            sort_form=self.sort_form,
            is_owner=self.is_owner,
            visibility_form=WatchlistVisibilityForm(
                initial={"public": "1" if self.fan.watchlist_is_public else "0"}
            ),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # A private watchlist answers its fan only, and the fan's own view
        # carries their settings form: neither is kept for others.
        response.page_cache_skip = self.is_owner or not self.fan.watchlist_is_public
        return response


@login_required
@require_POST
def watchlist_visibility(request):
    form = WatchlistVisibilityForm(request.POST)
    if form.is_valid():
        user = request.user
        user.watchlist_is_public = form.cleaned_data["public"]
        user.save(update_fields=["watchlist_is_public"])
        messages.success(
            request,
            "Everyone can see your watchlist now."
            if user.watchlist_is_public
            else "Only you can see your watchlist now.",
        )
    else:
        messages.error(request, "Choose who can see your watchlist.")
    return redirect("diary:watchlist", request.user.get_username())


# Diary


@login_required
@rate_limited("diary")
def log_viewing(request, slug):
    film = get_object_or_404(Film, slug=slug)
    existing_review = Review.objects.filter(film=film, author=request.user).first()
    form = DiaryEntryForm(
        request.POST if request.method == "POST" else None,
        with_review=existing_review is None,
        initial={"rating": Rating.objects.points_of(request.user, film)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.log_viewing(
            request.user,
            film,
            watched_on=data["watched_on"],
            rewatch=data["rewatch"],
            liked=data["liked"],
            points=data["rating"],
            review=form.review(),
        )
        messages.success(
            request, f"Logged: you watched {film.title} on {data['watched_on']:%-d %B %Y}."
        )
        return redirect("diary:diary", request.user.get_username())
    earlier = DiaryEntry.objects.of(request.user).filter(film=film).newest_first()
    return render(
        request,
        "diary/log_form.html",
        {
            "film": film,
            "form": form,
            "existing_review": existing_review,
            # Bounded: a film logged more often than this is a rare fan.
            "earlier": earlier[:50],
        },
        status=400 if form.is_bound else 200,
    )


class DiaryView(FanPageMixin, ListView):
    """A fan's viewings, newest first, grouped by month in the template."""

    template_name = "diary/diary.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return DiaryEntry.objects.of(self.get_fan()).for_pages().newest_first()


@login_required
def diary_entry_delete(request, pk):
    entry = get_object_or_404(DiaryEntry.objects.select_related("film"), pk=pk, user=request.user)
    if request.method == "POST":
        services.delete_viewing(entry)
        messages.success(
            request, "The viewing is deleted from your diary. Your rating and review stay."
        )
        return redirect("diary:diary", request.user.get_username())
    return render(request, "diary/diary_entry_confirm_delete.html", {"entry": entry})


# Lists


def _entries_for_page():
    """A list's entries with what their film cards show (as
    FilmQuerySet.for_cards(): the directors in one more query)."""
    directors = (
        Credit.objects.directors()
        .select_related("person")
        .only("film_id", "billing_order", "role", "job", "person__name")
    )
    return (
        ListEntry.objects.select_related("film")
        .only(
            "position",
            "note",
            "film_list_id",
            *(f"film__{name}" for name in FilmQuerySet.CARD_FIELDS),
        )
        .prefetch_related(
            Prefetch("film__credits", queryset=directors, to_attr="card_director_credits")
        )
    )


def list_detail(request, token):
    """A list's permalink. Private lists are a 404 to all but their owner, and
    never cached (see urls.py); unlisted ones ask search engines to stay away."""
    film_list = get_object_or_404(
        FilmList.objects.visible_to(request.user)
        .select_related("owner")
        .prefetch_related(Prefetch("entries", queryset=_entries_for_page())),
        token=token,
    )
    response = render(request, "diary/list_detail.html", {"film_list": film_list})
    response.page_cache_skip = film_list.is_private
    return response


class FanListsView(FanPageMixin, ListView):
    """A fan's public lists (cached for everyone: never the private ones)."""

    template_name = "diary/fan_lists.html"
    context_object_name = "lists"
    paginate_by = 30

    def get_queryset(self):
        return FilmList.objects.public().filter(owner=self.get_fan()).order_by("-updated_at", "-id")


@login_required
def my_lists(request):
    lists = request.user.film_lists.order_by("-updated_at", "-id")
    return render(request, "diary/my_lists.html", {"lists": lists})


@login_required
@rate_limited("list-edit")
def list_create(request):
    form = FilmListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        film_list = form.save(commit=False)
        film_list.owner = request.user
        services.save_list(film_list)
        add = request.POST.get("film", "")
        film = Film.objects.filter(slug=add).first() if add else None
        if film is not None:
            services.add_to_list(film_list, film)
        messages.success(request, "Your list is made. Add films to it here.")
        return redirect(film_list.get_edit_url())
    return render(
        request, "diary/list_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _own_list(request, token):
    # Looked up through the owner: anyone else's list is a 404.
    return get_object_or_404(FilmList, token=token, owner=request.user)


@login_required
@rate_limited("list-edit")
def list_edit(request, token):
    """The owner's page for a list: its details, and its films to reorder,
    annotate, remove and add (each a small form of its own)."""
    film_list = _own_list(request, token)
    visibility_before = film_list.visibility
    form = FilmListForm(request.POST or None, instance=film_list)
    if request.method == "POST" and form.is_valid():
        services.save_list(form.save(commit=False), visibility_before=visibility_before)
        messages.success(request, "Your list is saved.")
        return redirect(film_list.get_edit_url())
    search = FilmSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = Film.objects.for_cards().search(search.cleaned_data["q"], 10)
    entries = list(_entries_for_page().filter(film_list=film_list))
    return render(
        request,
        "diary/list_edit.html",
        {
            "film_list": film_list,
            "form": form,
            "entries": entries,
            "search_form": search,
            "found": found,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
@rate_limited("list-edit")
def list_entry_add(request, token):
    film_list = _own_list(request, token)
    film = Film.objects.filter(slug=request.POST.get("film", "")[:300]).first()
    if film is None:
        messages.error(request, "There is no such film to add.")
        return redirect(film_list.get_edit_url())
    try:
        _, created = services.add_to_list(film_list, film)
    except services.ListFull as error:
        messages.error(request, str(error))
        return redirect(film_list.get_edit_url())
    messages.success(
        request,
        f"{film.title} is added to {film_list.title}."
        if created
        else f"{film.title} was already on {film_list.title}.",
    )
    return _back(request, film_list.get_edit_url())


def _own_entry(request, token, pk):
    return get_object_or_404(
        ListEntry.objects.select_related("film_list", "film"),
        pk=pk,
        film_list__token=token,
        film_list__owner=request.user,
    )


@login_required
@require_POST
@rate_limited("list-edit")
def list_entry_move(request, token, pk):
    entry = _own_entry(request, token, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"error": "Say where to move the film."}, status=400)
        messages.error(request, "Say where to move the film: up, down or a place number.")
        return redirect(entry.film_list.get_edit_url())
    entry = services.move_entry(entry, form.target(entry.position))
    message = f"{entry.film.title} is now number {entry.position}."
    if _wants_json(request):
        return JsonResponse({"position": entry.position, "message": message})
    messages.success(request, message)
    return redirect(f"{entry.film_list.get_edit_url()}#entry-{entry.pk}")


@login_required
@require_POST
@rate_limited("list-edit")
def list_entry_note(request, token, pk):
    entry = _own_entry(request, token, pk)
    form = ListEntryNoteForm(request.POST, instance=entry)
    if form.is_valid():
        form.save()
        messages.success(request, f"Your note on {entry.film.title} is saved.")
    else:
        messages.error(request, "; ".join(form.errors["note"]))
    return redirect(f"{entry.film_list.get_edit_url()}#entry-{entry.pk}")


@login_required
@require_POST
@rate_limited("list-edit")
def list_entry_delete(request, token, pk):
    entry = _own_entry(request, token, pk)
    services.remove_from_list(entry)
    messages.success(request, f"{entry.film.title} is removed from the list.")
    return redirect(entry.film_list.get_edit_url())


@login_required
def list_delete(request, token):
    film_list = _own_list(request, token)
    if request.method == "POST":
        services.delete_list(film_list)
        messages.success(request, "Your list is deleted.")
        return redirect("diary:my-lists")
    return render(request, "diary/list_confirm_delete.html", {"film_list": film_list})


@login_required
def add_film_to_a_list(request, slug):
    """From a film page: pick one of your lists (or make one) for this film."""
    film = get_object_or_404(Film, slug=slug)
    lists = request.user.film_lists.order_by("-updated_at", "-id")
    return render(request, "diary/add_to_list.html", {"film": film, "lists": lists})


# Follows, likes, the feed


@login_required
@require_POST
@rate_limited("follow")
def follow(request, username):
    fan = _active_fan(username)
    if fan.pk == request.user.pk:
        raise Http404("Fans cannot follow themselves.")
    if request.POST.get("action") == "unfollow":
        services.unfollow(request.user, fan)
        message = f"You no longer follow {fan.get_username()}."
    else:
        services.follow(request.user, fan)
        message = f"You follow {fan.get_username()}: their activity is in your feed."
    messages.success(request, message)
    return redirect("reviews:profile", fan.get_username())


@login_required
@require_POST
@rate_limited("like")
def review_like(request, pk):
    review = get_object_or_404(Review.objects.published(), pk=pk)
    if review.author_id == request.user.pk:
        raise Http404("Fans cannot like their own reviews.")
    liked = request.POST.get("action") != "unlike"
    services.like_review(request.user, review, liked)
    messages.success(request, "You like this review." if liked else "Your like is taken back.")
    return redirect(review)


@login_required
@require_POST
@rate_limited("like")
def list_like(request, token):
    film_list = get_object_or_404(FilmList.objects.visible_to(request.user), token=token)
    if film_list.owner_id == request.user.pk:
        raise Http404("Fans cannot like their own lists.")
    liked = request.POST.get("action") != "unlike"
    services.like_list(request.user, film_list, liked)
    messages.success(request, "You like this list." if liked else "Your like is taken back.")
    return redirect(film_list)


@login_required
def feed_view(request):
    """The fan's home: what the fans they follow did lately."""
    page = feed.page_of(request.user, request.GET.get("page"))
    return render(request, "diary/feed.html", {"feed": page})
