from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coaching import models as content
from coaching.caching import CONTENT
from core.files import delete_stored


@receiver(post_delete, sender=content.Illustration)
def remove_illustration_files(sender, instance: content.Illustration, **kwargs) -> None:
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored(names))


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs) -> None:
    """Every row of this app is the guide's content: a change makes every kept page stale."""
    if sender._meta.app_label == "coaching":
        CONTENT.bump()
