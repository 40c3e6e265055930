from django.conf import settings
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from training.models import LevelChange, Profile, Set, TrainingSession


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Not while loading fixtures or a backup: the profile rows come with the data.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver([post_save, post_delete], sender=TrainingSession)
@receiver([post_save, post_delete], sender=LevelChange)
def log_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        Profile.objects.bump_log_version(instance.user_id)


@receiver([post_save, post_delete], sender=Set)
def set_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        Profile.objects.filter(user__training_sessions=instance.session_id).update(
            log_version=F("log_version") + 1
        )
