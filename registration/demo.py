"""Demo: one tenant without an account, with a fresh letter code printed for `make run`."""

from django.utils import timezone

from tenants.models import Tenant

from . import codes
from .services import registration_code_issue


def seed_registration(stdout) -> None:
    tenant = Tenant.objects.get(tenant_number="100003")
    if tenant.user_id is not None:
        stdout.write(f"Demo tenant {tenant.full_name} is already registered.")
        return
    # Only the hash is stored, so every run issues a new code (and revokes the previous one).
    row, plain = registration_code_issue(tenant=tenant)
    stdout.write(
        f"Registration demo: code {codes.display(plain)} with last name "
        f"'{tenant.last_name}' at /registrieren/ (valid until "
        f"{timezone.localtime(row.expires_at):%d.%m.%Y})"
    )
