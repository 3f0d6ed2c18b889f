"""The change feed's export started from the admin as a job: the file is the job's download."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from tenants.models import ChangeRecord, Job
from tenants.services import tenant_phone_set
from tests.tenants.factories import StaffFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "admin:tenants_job_export_changes"


def test_operations_exports_the_changes_as_a_job_and_downloads_the_file(
    client, django_capture_on_commit_callbacks
):
    tenant = TenantFactory()
    tenant_phone_set(tenant=tenant, phone="040 123456", by=tenant.user)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), {"format": "csv"})

    job = Job.objects.get(kind="export_changes")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.counts["changes"] == 1
    download = client.get(reverse("admin:tenants_job_download", args=[job.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert tenant.tenant_number in content and "040 123456" in content
    assert ChangeRecord.objects.get().export_id is not None
    # Nothing new: a second export says so and claims nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(URL), {"format": "jsonl"})
    second = Job.objects.filter(kind="export_changes").latest("pk")
    assert second.counts["changes"] == 0 and not second.result_file


@pytest.mark.parametrize("group", ["Kundenservice", "Mietenbuchhaltung", "Technik"])
def test_clerk_groups_may_not_export_the_feed_with_its_ibans(client, group):
    call_command("sync_clerk_groups", stdout=io.StringIO())
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name=group))
    client.force_login(clerk)

    assert client.post(reverse(URL), {"format": "csv"}).status_code == 403
    assert not Job.objects.exists()
