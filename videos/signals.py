"""A video's files go with its row, however the row goes."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from videos.models import SetVideo, VideoUpload
from videos.services import delete_chunks_of, delete_files_of


@receiver(post_delete, sender=SetVideo)
def video_deleted(sender, instance: SetVideo, **kwargs) -> None:
    # Every way a video goes (its own delete, its set's, its session's, the account's)
    # takes its files with it.
    delete_files_of(instance)


@receiver(post_delete, sender=VideoUpload)
def upload_deleted(sender, instance: VideoUpload, **kwargs) -> None:
    delete_chunks_of(instance)
