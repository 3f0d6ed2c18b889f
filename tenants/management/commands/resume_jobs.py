from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.jobs import job_sweep, job_threads_join


class Command(BaseCommand):
    help = (
        "Resume unfinished jobs (letters, publishing) whose worker died or that were never "
        "queued (what the periodic sweeper does). In embedded mode the jobs run here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=int,
            default=settings.JOBS_STALE_AFTER,
            help="Seconds after which a running part counts as abandoned "
            f"(default {settings.JOBS_STALE_AFTER}; 0 after a restart with no worker running).",
        )

    def handle(self, *args, **options):
        count = job_sweep(stale_after_seconds=options["stale_after"])
        job_threads_join()  # embedded: the jobs run in threads of this process
        self.stdout.write(f"{count} part(s) of unfinished jobs resumed.")
