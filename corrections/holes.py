"""What corrections puts on pages it does not own (see README, "Where things are").

- The "Suggest a correction" link on film and person pages: a hole, because
  the catalogue's templates cannot name this app's URLs.
- The notice of decisions on the fan's own profile (a reviews page): a hole,
  filled only when the fan looks at their own page; reviews cannot import
  this app.
- The "Correction accepted" label on a film's public history page.
"""

from django.urls import reverse

from catalog import history
from core.page_cache import holes

from .models import Correction

NOTICES_SHOWN = 5


@holes.register("film-correction-link")
def film_correction_link(request, slug):
    return holes.render_template(
        "corrections/includes/suggest_link.html",
        request,
        {"url": reverse("corrections:suggest-film", args=[slug]), "kind": "film"},
    )


@holes.register("person-correction-link")
def person_correction_link(request, slug):
    return holes.render_template(
        "corrections/includes/suggest_link.html",
        request,
        {"url": reverse("corrections:suggest-person", args=[slug]), "kind": "person"},
    )


@holes.register("fan-notices")
def fan_notices(request, username):
    """Staff's decisions on the fan's suggestions, on their own profile only:
    one query for them, none for anyone else."""
    user = request.user
    if not user.is_authenticated or user.get_username() != username:
        return ""
    decided = list(
        Correction.objects.unread_decisions_for(user)
        .with_subject()
        .order_by("-decided_at")[: NOTICES_SHOWN + 1]
    )
    if not decided:
        return ""
    return holes.render_template(
        "corrections/includes/fan_notices.html",
        request,
        {"decided": decided[:NOTICES_SHOWN], "more": len(decided) > NOTICES_SHOWN},
    )


@history.register_summary
def accepted_corrections(revision_ids):
    accepted = (
        Correction.objects.filter(revision_id__in=revision_ids)
        .order_by()
        .values_list("revision_id", flat=True)
    )
    return dict.fromkeys(accepted, "Correction accepted")
