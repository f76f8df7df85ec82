"""The header every one of a fan's public pages shares: name, counts, a
chart of their ratings and the tabs of their pages.

Apps above this one add their own counts and tabs at start-up
(`register_counts`, `register_tab`) without reviews importing them: the
diary app adds films watched, lists and followers, and its pages' tabs.
"""

from dataclasses import dataclass

from django.db.models import Count

from .models import MAX_POINTS, MIN_POINTS, Rating, Review

_tabs = [("Reviews", "reviews:profile", None), ("Ratings", "reviews:profile-ratings", None)]
_count_loaders = []

# The chart's drawing box, in SVG user units.
CHART_WIDTH = 200
CHART_HEIGHT = 60
BAR_GAP = 2


def register_tab(label, url_name, shown_if=None):
    """A tab on every fan page: `url_name` takes the fan's username. With
    `shown_if`, only on the pages of fans whose attribute of that name is true
    (a page the fan keeps private has no tab: it is a 404 to others)."""
    _tabs.append((label, url_name, shown_if))


def register_counts(loader):
    """Decorator: `loader(fan) -> [(label, number, url or "")]`, in one query."""
    _count_loaders.append(loader)
    return loader


@dataclass
class Bar:
    points: int
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def stars(self):
        return f"{self.points // 2}" if self.points % 2 == 0 else f"{self.points / 2:.1f}"


@dataclass
class RatingChart:
    """The fan's ratings by points, drawn as ten SVG bars (no inline style:
    the site's CSP allows none) with the same figures as text."""

    bars: list
    total: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @classmethod
    def of(cls, fan):
        counts = dict(
            Rating.objects.counted()
            .filter(user=fan)
            .order_by()
            .values_list("points")
            .annotate(n=Count("id"))
        )
        steps = MAX_POINTS - MIN_POINTS + 1
        largest = max(counts.values(), default=0) or 1
        width = (CHART_WIDTH - BAR_GAP * (steps - 1)) / steps
        bars = []
        for index, points in enumerate(range(MIN_POINTS, MAX_POINTS + 1)):
            n = counts.get(points, 0)
            # At least a hairline, so an empty step still shows where it is.
            height = max(1, round(n * CHART_HEIGHT / largest, 1))
            bars.append(
                Bar(
                    points=points,
                    count=n,
                    x=round(index * (width + BAR_GAP), 1),
                    y=round(CHART_HEIGHT - height, 1),
                    width=round(width, 1),
                    height=height,
                )
            )
        return cls(bars=bars, total=sum(counts.values()))


@dataclass
class ProfileHeader:
    fan: object
    counts: list
    chart: RatingChart
    tabs: list
    review_count: int  # published reviews: the same as the "Reviews" count


def header(fan):
    """What the header shows, in a fixed number of queries (one for the
    reviews count, one for the chart, one per app that adds counts)."""
    reviews = Review.objects.published().filter(author=fan).count()
    counts = [("Reviews", reviews, "reviews:profile")]
    for loader in _count_loaders:
        counts.extend(loader(fan))
    tabs = [
        (label, url) for label, url, shown_if in _tabs if not shown_if or getattr(fan, shown_if)
    ]
    return ProfileHeader(
        fan=fan, counts=counts, chart=RatingChart.of(fan), tabs=tabs, review_count=reviews
    )
