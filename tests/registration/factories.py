from registration.services import registration_code_issue
from tests.tenants.factories import TenantFactory


def tenant_with_code(**tenant_fields):
    """An unregistered tenant and the plain code of their newest letter."""
    tenant = TenantFactory(user=None, **tenant_fields)
    row, plain = registration_code_issue(tenant=tenant)
    return tenant, row, plain
