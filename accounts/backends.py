"""The fan's account on every logged-in request, without a query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog import page_cache

# Kept in each process's own memory (settings.CACHES): account rows, with
# their password hashes, never go to a shared cache.
ACCOUNTS_CACHE = "accounts"


def account_scope(user_id):
    return f"account:{user_id}"


class CachedAccountBackend(ModelBackend):
    """Django's ModelBackend, but `get_user` (which the session middleware
    runs for every request of a logged-in fan) reads the account from memory.

    The copy is kept under a version shared by every process
    (catalog/page_versions.py) that any save or delete of the account
    replaces, so deactivating a fan, changing a password (which ends the
    fan's other sessions) or deleting an account takes effect on the next
    request, whichever process serves it. A change that bypasses save()
    (`queryset.update()`) shows within the cache's timeout, five minutes.
    """

    def get_user(self, user_id):
        # page_cache's versions: right after a write, with a read replica,
        # the account is read from the primary, never a lagging copy.
        version = page_cache.versions([account_scope(user_id)])[0]
        key = f"account:{user_id}:{version}"
        cache = caches[ACCOUNTS_CACHE]
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user)
        return user if self.user_can_authenticate(user) else None


@receiver(post_save, sender=get_user_model())
@receiver(post_delete, sender=get_user_model())
def forget_cached_account(sender, instance, **kwargs):
    page_cache.bump(account_scope(instance.pk))
