"""The three roles as Django groups: curators edit data, analysts and consultants read it (analysts
also build scenarios and the weight sets they use)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ROLE_APPS = ("missions", "risks", "plans", "sources", "weights")
ANALYST, CONSULTANT, CURATOR = "analyst", "consultant", "curator"
ROLES = (ANALYST, CONSULTANT, CURATOR)


def ensure_roles() -> dict[str, Group]:
    """Create or refresh the role groups and their permissions (idempotent)."""
    in_apps = Q(content_type__app_label__in=ROLE_APPS)
    view = Permission.objects.filter(in_apps, codename__startswith="view_")
    # Analysts build their own scenarios and plans; everything else they only read.
    analyst = view | Permission.objects.filter(
        content_type__app_label="risks", codename__in=["add_scenario", "change_scenario", "delete_scenario"]) \
        | Permission.objects.filter(content_type__app_label="plans", codename__in=["add_plan", "change_plan",
                                                                                   "delete_plan"]) \
        | Permission.objects.filter(  # and the weight sets and workshops their scenarios use
            content_type__app_label="weights",
            codename__in=["add_weightset", "change_weightset", "add_participant", "change_participant"])
    # Consultants export client briefings; analysts and curators do not.
    consultant = view | Permission.objects.filter(content_type__app_label="risks", codename="add_briefing")
    edit = Permission.objects.filter(in_apps).exclude(codename="add_briefing")
    groups = {}
    for name, perms in ((ANALYST, analyst), (CONSULTANT, consultant), (CURATOR, edit)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(perms)
        groups[name] = group
    return groups
