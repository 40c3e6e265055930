from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coaching import models as content
from coaching.caching import CONTENT
from core.files import delete_stored

# The models whose rows are the guide's content.
CONTENT_MODELS = {
    content.Exercise,
    content.Cue,
    content.FormError,
    content.Variation,
    content.TempoPreset,
    content.Illustration,
}


@receiver(post_delete, sender=content.Illustration)
def remove_illustration_files(sender, instance: content.Illustration, **kwargs) -> None:
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored(names))


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs) -> None:
    """Any change to the guide's content makes every cached guide page stale."""
    if sender in CONTENT_MODELS:
        CONTENT.bump()
