"""Clerk groups and their permissions.

Each area adds the permissions its clerks need from its AppConfig.ready() through
`grant_to_group`, so this module never imports another area. `manage.py sync_clerk_groups`
applies the result and is safe to run after every deployment.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from .models import Area

# Group names are what clerks see in the admin, so they stay German.
GROUP_NAMES = {
    Area.CUSTOMER_SERVICE: "Kundenservice",
    Area.ACCOUNTING: "Mietenbuchhaltung",
    Area.TECHNICAL: "Technik",
}

_VIEW_BASE = [
    "tenants.view_property",
    "tenants.view_unit",
    "tenants.view_tenant",
    "tenants.view_contactperson",
    "tenants.view_clerkresponsibility",
    "tenants.view_team",
    "tenants.view_contract",
]

_permissions: dict[str, set[str]] = {
    Area.CUSTOMER_SERVICE: {
        *_VIEW_BASE,
        "tenants.change_tenant",
        "tenants.view_user",  # to link a tenant to their portal account
        "tenants.add_contactperson",
        "tenants.change_contactperson",
        "tenants.delete_contactperson",
        "tenants.add_faqentry",
        "tenants.change_faqentry",
        "tenants.delete_faqentry",
        "tenants.view_faqentry",
        "tenants.view_outboundemail",
        "tenants.view_auditentry",
        "tenants.view_job",  # letters and publishing run as jobs (tenants/jobs.py)
    },
    Area.ACCOUNTING: {
        *_VIEW_BASE,
        "tenants.change_contract",  # rents and dates come from accounting
        "tenants.view_user",  # to hand a request to a colleague
        "tenants.view_outboundemail",
        "tenants.view_auditentry",
        "tenants.view_job",  # publishing runs as a job
    },
    Area.TECHNICAL: {*_VIEW_BASE, "tenants.change_unit"},
}


def grant_to_group(area: str, *perms: str) -> None:
    _permissions[area].update(perms)


def clerk_groups_sync() -> dict[str, int]:
    """Create the three clerk groups and set exactly the declared permissions. Idempotent."""
    result = {}
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for area, perms in _permissions.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[area])
        missing = perms - all_perms.keys()
        if missing:
            raise LookupError(
                _("Unknown permissions for %(group)s: %(perms)s")
                % {"group": group.name, "perms": ", ".join(sorted(missing))}
            )
        group.permissions.set([all_perms[p] for p in perms])
        result[group.name] = len(perms)
    return result
