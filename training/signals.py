from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from coaches.roles import ROLES
from training.models import Profile
from videos.models import SetVideo, VideoUpload
from videos.services import delete_chunks_of, delete_files_of


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Not while loading fixtures or a backup: the profile rows come with the data.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver([post_save, post_delete], sender=Group)
def roles_changed(sender, **kwargs) -> None:
    ROLES.bump()


@receiver(post_delete, sender=SetVideo)
def video_deleted(sender, instance: SetVideo, **kwargs) -> None:
    # Every way a video goes (its own delete, its set's, its session's, the account's)
    # takes its files with it.
    delete_files_of(instance)


@receiver(post_delete, sender=VideoUpload)
def upload_deleted(sender, instance: VideoUpload, **kwargs) -> None:
    delete_chunks_of(instance)
