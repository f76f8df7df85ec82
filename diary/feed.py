"""A fan's activity feed: what the fans they follow did lately.

There is no activity table to fill on every write (ratings are upserted
without signals, and a second copy of each event would have to be kept
exact). The feed reads the four kinds of rows where they live (ratings,
reviews, diary entries, public lists), each through an index that starts
with its fan and then its time, and merges them:

- each kind is one query, `WHERE fan IN (the followed) AND time > window
  ORDER BY time DESC LIMIT n`, where n = the page's end: no kind can hold
  more of the page than that;
- the followed fans are a subquery on the Follow table's (follower, followed)
  unique index, capped at MAX_FOLLOWED for the feed;
- only the last WINDOW_DAYS days and MAX_PAGES pages: "recent" activity, so
  the rows read per kind never exceed MAX_PAGES × PAGE_SIZE whatever the
  size of the site.

Page n therefore costs four queries of at most n × PAGE_SIZE rows each.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from core.pagination import clamped_page_number
from reviews.models import Rating, Review

from .models import DiaryEntry, FilmList, Follow

PAGE_SIZE = 20
MAX_PAGES = 10
WINDOW_DAYS = 90
# A fan following more than this sees the activity of the latest followed.
MAX_FOLLOWED = 1_000


@dataclass
class Item:
    kind: str  # "rating", "review", "diary", "list"
    at: object  # datetime
    fan: object
    film: object = None
    obj: object = None

    @property
    def sort_key(self):
        return (self.at, self.kind, self.obj.pk)


@dataclass
class FeedPage:
    items: list
    number: int
    has_next: bool
    following_count: int

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def next_number(self):
        return self.number + 1

    @property
    def previous_number(self):
        return self.number - 1


def followed_ids(fan):
    return (
        Follow.objects.filter(follower=fan)
        .order_by("-created_at")
        .values("followed_id")[:MAX_FOLLOWED]
    )


def page_of(fan, raw_page):
    number = clamped_page_number(raw_page, MAX_PAGES)
    end = number * PAGE_SIZE
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    followed = followed_ids(fan)
    following_count = Follow.objects.filter(follower=fan).count()
    if not following_count:
        return FeedPage(items=[], number=1, has_next=False, following_count=0)
    # One more than the page's end, to know whether a next page exists.
    limit = end + 1
    ratings = (
        Rating.objects.counted()
        .filter(user__in=followed, updated_at__gte=since, review__isnull=True)
        .select_related("user", "film")
        .order_by("-updated_at", "-id")[:limit]
    )
    reviews = (
        Review.objects.published()
        .filter(author__in=followed, published_at__gte=since)
        .select_related("author", "film")
        .order_by("-published_at", "-id")[:limit]
    )
    diary = (
        DiaryEntry.objects.filter(user__in=followed, created_at__gte=since)
        .select_related("user", "film", "rating")
        .order_by("-created_at", "-id")[:limit]
    )
    lists = (
        FilmList.objects.public()
        .filter(owner__in=followed, updated_at__gte=since)
        .select_related("owner")
        .order_by("-updated_at", "-id")[:limit]
    )
    items = [
        *(Item("rating", r.updated_at, r.user, r.film, r) for r in ratings),
        *(Item("review", r.published_at, r.author, r.film, r) for r in reviews),
        *(Item("diary", d.created_at, d.user, d.film, d) for d in diary),
        *(
            Item("list", film_list.updated_at, film_list.owner, None, film_list)
            for film_list in lists
        ),
    ]
    items.sort(key=lambda item: item.sort_key, reverse=True)
    start = end - PAGE_SIZE
    return FeedPage(
        items=items[start:end],
        number=number,
        has_next=len(items) > end and number < MAX_PAGES,
        following_count=following_count,
    )
