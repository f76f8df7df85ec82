"""Moderation history: a review's status (published or hidden by staff) is
kept by django-reversion like the catalogue's facts (catalog/history.py).

Only the status: a review's title and text are the fan's, and deleting an
account or a review must not leave a copy of them in the history. Reverting
a version brings the status back and keeps everything else as it is now.
"""

import reversion

from catalog import history

from . import services
from .models import Review

history.register(Review, fields=["status"])

MODERATION_COMMENTS = {
    Review.Status.HIDDEN: "Hidden from the site by staff.",
    Review.Status.PUBLISHED: "Restored to the site by staff.",
}


def set_status_with_history(reviews, status, user):
    """Hide or restore `reviews` (services.set_review_status), as one history
    entry by `user`, after keeping the status they had if history held none."""
    changing = list(reviews.exclude(status=status).values_list("pk", flat=True))
    history.record_baseline(Review, changing)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(MODERATION_COMMENTS[status])
        changed = services.set_review_status(reviews, status)
        for review in Review.objects.filter(pk__in=changing):
            reversion.add_to_revision(review)
    return changed
