from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from training import summaries
from training.models import Profile, Set, TrainingSession


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Not while loading fixtures or a backup: the profile rows come with the data.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


# The summaries (training/summaries.py) of one set or session saved or deleted. Not while
# loading a backup: its summaries come with it.


def _from(origin, model) -> bool:
    """Whether a deletion started at `model`'s rows (not at their session or user, which
    take the summaries with them or count them themselves)."""
    return isinstance(origin, model) or (isinstance(origin, QuerySet) and origin.model is model)


@receiver(pre_save, sender=Set)
def _set_before(sender, instance: Set, raw: bool = False, **kwargs) -> None:
    if not raw and not instance._state.adding:
        before = Set.objects.filter(pk=instance.pk)
        instance._summary_before = (summaries.marks_of(before), summaries.sessions_of(before))


@receiver(post_save, sender=Set)
def _set_saved(sender, instance: Set, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    removed, sessions = getattr(instance, "_summary_before", (None, set()))
    instance._summary_before = (None, set())
    summaries.sets_changed(
        {instance.session_id, *sessions}, removed=removed, added=summaries.marks_of_new([instance])
    )


@receiver(post_delete, sender=Set)
def _set_deleted(sender, instance: Set, origin=None, **kwargs) -> None:
    if _from(origin, Set):
        summaries.sets_changed({instance.session_id}, removed=summaries.marks_of_new([instance]))


@receiver(pre_save, sender=TrainingSession)
def _session_before(sender, instance: TrainingSession, raw: bool = False, **kwargs) -> None:
    if not raw and not instance._state.adding:
        instance._summary_before = (
            TrainingSession.objects.filter(pk=instance.pk)
            .values_list("user_id", "variation_id", "date")
            .first()
        )


@receiver(post_save, sender=TrainingSession)
def _session_saved(sender, instance: TrainingSession, raw: bool = False, **kwargs) -> None:
    before = getattr(instance, "_summary_before", None)
    instance._summary_before = None
    if raw or before is None:
        return
    now = (instance.user_id, instance.variation_id, instance.date)
    if before != now:
        # A new day or variation moves every set of the session to other groups.
        added = summaries.marks_of(Set.objects.filter(session=instance))
        removed = {(*before[:2], *mark[2:6], before[2]): n for mark, n in added.items()}
        summaries.sets_changed(removed=removed, added=added)


@receiver(pre_delete, sender=TrainingSession)
def _session_deleting(sender, instance: TrainingSession, origin=None, **kwargs) -> None:
    # Read while its sets are there; counted once they are gone.
    if _from(origin, TrainingSession):
        instance._summary_before = summaries.marks_of(Set.objects.filter(session=instance))


@receiver(post_delete, sender=TrainingSession)
def _session_deleted(sender, instance: TrainingSession, **kwargs) -> None:
    removed = getattr(instance, "_summary_before", None)
    if removed:
        summaries.sets_changed(removed=removed)
