"""Fans' accounts."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A fan (or a member of staff). Django's user, with an email address that
    is unique whatever its case, so that a password-reset link
    only ever goes to one account: the database refuses a second
    "Ana@example.com" beside "ana@example.com"."""

    email = models.EmailField("email address", max_length=254, blank=True)
    # Off until the fan ticks it (opendata: the consent page): a review is
    # its author's work, and the open data dump publishes it under a licence.
    reviews_in_open_data = models.BooleanField(
        "include my reviews in the open data dump", default=False
    )
    # The fan's choice; private by default, like anything a fan has not
    # chosen to show (the diary app's watchlist page reads it).
    watchlist_is_public = models.BooleanField("show my watchlist to everyone", default=False)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Blank only for accounts made before sign-up asked for an address
            # (createsuperuser and the sign-up form both require one).
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_any_case",
                violation_error_message="An account with this email address already exists.",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_any_case",
                violation_error_message="That user name is taken.",
            ),
        ]
