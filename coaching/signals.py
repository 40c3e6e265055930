from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from coaching.models import Illustration
from coaching.services import delete_files


@receiver(post_delete, sender=Illustration)
def remove_illustration_files(sender, instance: Illustration, **kwargs) -> None:
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_files(names))
