from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coaching.models import Illustration
from coaching.services import delete_files


@receiver(post_delete, sender=Illustration)
def remove_illustration_files(sender, instance: Illustration, **kwargs) -> None:
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_files(names))


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs) -> None:
    """Any change to the guide's content makes every cached guide page stale."""
    from coaching import models as content

    if sender in {
        content.Exercise,
        content.Cue,
        content.FormError,
        content.Variation,
        content.TempoPreset,
        content.Illustration,
    }:
        from coaching.caching import bump_content_version

        bump_content_version()
