"""A change to who holds which role moves the roles generation (coaches/roles.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from coaches.roles import ROLES


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver([post_save, post_delete], sender=Group)
def roles_changed(sender, **kwargs) -> None:
    ROLES.bump()
