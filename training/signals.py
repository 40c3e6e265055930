from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from training.models import LOG_MODELS, Profile, SetVideo, VideoUpload
from training.roles import ROLES_VERSION
from training.videos import delete_chunks_of, delete_files_of


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Not while loading fixtures or a backup: the profile rows come with the data.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


def log_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A row of a log saved or deleted (a cascade too): the writes LogQuerySet cannot see.
    Not while loading fixtures or a backup: the profile rows come with their versions."""
    if not raw:
        Profile.objects.bump_log_version(sender.objects.owners([instance]))


for _model in LOG_MODELS:
    post_save.connect(log_changed, sender=_model)
    post_delete.connect(log_changed, sender=_model)


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver([post_save, post_delete], sender=Group)
def roles_changed(sender, **kwargs) -> None:
    ROLES_VERSION.bump()


@receiver(post_delete, sender=SetVideo)
def video_deleted(sender, instance: SetVideo, **kwargs) -> None:
    # Every way a video goes (its own delete, its set's, its session's, the account's)
    # takes its files with it.
    delete_files_of(instance)
    # Its seen, tagged comments counted in the owner's progression (training/level.py).
    Profile.objects.bump_log_version(instance.owner_id)


@receiver(post_delete, sender=VideoUpload)
def upload_deleted(sender, instance: VideoUpload, **kwargs) -> None:
    delete_chunks_of(instance)
