"""Django's ModelBackend, with each account's permissions kept in the shared cache.

Every page checks a permission (pkoanalysis.roles), which costs ModelBackend two joined queries a
request. Here the set is read once per account and kept under a generation number that goes up
whenever a role could have changed: an account's groups or permissions, a group's permissions, a
group, a permission or an account saved or deleted. The generation lives in the shared cache
(Redis with CACHE_URL, else the database), so every process sees a change at once; a kept set also
expires after PERMISSIONS_SECONDS whatever happens. Object permissions and inactive accounts go to
ModelBackend unchanged.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save

from pkoanalysis import generations

GENERATION_KEY = "auth:permissions-generation"
PERMISSIONS_SECONDS = 300


def shared():
    return caches["shared"]


def forget_permissions(sender=None, update_fields=None, **_kwargs) -> None:
    """A role may have changed: every account's kept permissions are read again (not when a
    sign-in only stamps last_login)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    generations.bump(shared(), GENERATION_KEY)


class CachedPermissionBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            key = f"auth:permissions:{generations.current(shared(), GENERATION_KEY)}:{user_obj.pk}"
            permissions = shared().get(key)
            if permissions is None:
                permissions = frozenset(super().get_all_permissions(user_obj))
                shared().set(key, permissions, PERMISSIONS_SECONDS)
            user_obj._perm_cache = set(permissions)
        return user_obj._perm_cache


def connect() -> None:
    """Called from an AppConfig.ready()."""
    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"forget-permissions-{through.__name__}")
    for model in (user, Group, Permission):
        post_save.connect(forget_permissions, sender=model, dispatch_uid=f"forget-permissions-save-{model.__name__}")
        post_delete.connect(forget_permissions, sender=model, dispatch_uid=f"forget-permissions-del-{model.__name__}")
