from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from training.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Not while loading fixtures or a backup: the profile rows come with the data.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
