from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from training.models import LevelChange, Profile, Set, TrainingSession
from training.roles import ROLES_VERSION


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


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver([post_save, post_delete], sender=Group)
def roles_changed(sender, **kwargs) -> None:
    ROLES_VERSION.bump()
