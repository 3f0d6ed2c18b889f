"""The production stack for benchmarks: tests/stack/harness.py plus many tenants and /proc.

`LoadStack` starts what the stack test starts – a private PostgreSQL cluster and Redis, an SMTP
sink, gunicorn with config.settings.production, a Celery worker and beat – but with the
production clock for the sweepers (the test speeds them up), gunicorn as the image's `CMD`
runs it, and one trusted proxy in front (`PORTAL_TRUSTED_PROXY_COUNT=1`: the load generator
plays the load balancer and sends each tenant's own address in X-Forwarded-For). After the
demo data it adds `tenants` load-test tenants in a property of their own ("9001 Lasttest-Hof"):
each has a login with a known password, a flat with a current contract, three remote-read
meters with 36 months of readings, and two published statements. The data goes in through
the portal's own paths: the ERP import, the consumption import and `documents_publish_files`,
run in a subprocess with the stack's environment (`python benchmarks/stack.py seed N`).

Loopback only: every process listens on 127.0.0.1 on a free port, and everything is removed
again when the `with` block ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOAD_PROPERTY = "9001"
LOAD_PASSWORD = "Last-Test-Passwort-2026!"  # noqa: S105 - throw-away accounts on a private database
# The sweepers' fast clock of the stack test; without these the production defaults apply.
FAST_CLOCK = (
    "PORTAL_SWEEP_INTERVAL",
    "PORTAL_ROUTE_SWEEP_AFTER",
    "PORTAL_OUTBOX_SWEEP_AFTER",
    "PORTAL_OUTBOX_RETRY_SECONDS",
)


def load_email(index: int) -> str:
    return f"last{index:03d}@example.org"


# --------------------------------------------------------------------------------------------
# /proc
# --------------------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    """Resident set size of one process in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """The direct children of a process (scans /proc: no CONFIG_PROC_CHILDREN needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process and its waited-for children, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------
# The stack
# --------------------------------------------------------------------------------------------


class LoadStack:
    """`with LoadStack(tenants=50, web_workers=3) as stack:` – the harness's processes, seeded."""

    def __init__(self, *, tenants: int, web_workers: int = 3, worker_concurrency: int = 2):
        self.tenants = tenants
        self.web_workers = web_workers
        self.worker_concurrency = worker_concurrency

    def __enter__(self) -> LoadStack:
        from tests.stack.harness import (
            PrivatePostgres,
            PrivateRedis,
            SmtpSink,
            Stack,
            missing_prerequisites,
            wait_for,
        )

        missing = missing_prerequisites()
        if missing:
            raise SystemExit("the load benchmark needs " + ", ".join(missing))
        self.root = Path(tempfile.mkdtemp(prefix="portal-load-"))
        self.postgres = PrivatePostgres()
        self.redis = PrivateRedis(self.root)
        self.sink = SmtpSink()
        self.stack = None
        try:
            self.postgres.init()
            self.redis.start()
            self.sink.start()
            self.stack = Stack(self.root, self.postgres, self.redis, self.sink.port)
            for name in FAST_CLOCK:
                self.stack.env.pop(name, None)
            # Behind one load balancer, as in production: the load generator is that balancer
            # and puts each simulated tenant's own address into X-Forwarded-For, so that the
            # per-address limits (allauth: 30 sign-ins per minute and address) count per tenant.
            self.stack.env["PORTAL_TRUSTED_PROXY_COUNT"] = "1"
            self.stack.prepare()
            self.seed_report = self._seed()
            self._start_worker()
            self.stack.start_beat()
            self._start_web()
            wait_for(
                lambda: self.stack.healthz()[1].get("status") == "ok",
                timeout=60,
                what="/healthz to report ok",
                diagnose=lambda: self.stack.logs(40),
            )
        except BaseException:
            if self.stack is not None:
                print(self.stack.logs(60), file=sys.stderr)
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.stack is not None:
            self.stack.stop_all()
        self.redis.stop()
        self.sink.stop()
        self.postgres.destroy()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def base_url(self) -> str:
        return self.stack.base_url

    def _seed(self) -> str:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "seed", str(self.tenants)],
            cwd=ROOT,
            env=self.stack.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"seeding the load tenants failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout.strip()

    def _start_web(self) -> None:
        # As the image's CMD runs it (Dockerfile): sync workers, the default 30 s timeout.
        self.stack._spawn(
            "gunicorn", "-m", "gunicorn", "config.wsgi:application", "--bind",
            f"127.0.0.1:{self.stack.port}", "--workers", str(self.web_workers),
            "--access-logfile", "-",
            "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s',
        )  # fmt: skip

    def _start_worker(self) -> None:
        self.stack._spawn(
            "worker", "-m", "celery", "-A", "config.celery_app", "worker", "--loglevel", "INFO",
            "--concurrency", str(self.worker_concurrency), "--without-gossip",
            "--without-mingle", "--without-heartbeat", "--hostname", "load@%h",
        )  # fmt: skip

    # ---- what the benchmark reads from the processes

    def web_master(self) -> int:
        return self.stack.processes["gunicorn"].pid

    def web_workers_rss(self) -> dict[int, int]:
        """{pid: RSS in KiB} of gunicorn's worker processes."""
        return {pid: rss_kib(pid) for pid in children(self.web_master())}

    def worker_rss(self) -> int:
        """RSS in KiB of the Celery worker: main process plus its pool."""
        main = self.stack.processes["worker"].pid
        return rss_kib(main) + sum(rss_kib(pid) for pid in children(main))

    def web_cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in children(self.web_master()))

    def query(self, sql: str, *params):
        return self.postgres.query(sql, *params)


# --------------------------------------------------------------------------------------------
# The load tenants (runs in a subprocess with the stack's environment)
# --------------------------------------------------------------------------------------------


def _write_erp_export(directory: Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "manifest.json").write_text(
        '{"format_version": 1, "mode": "delta", "exported_at": "2026-01-05T06:00:00+01:00",'
        ' "source": "benchmarks/stack.py"}\n'
    )
    (directory / "properties.csv").write_text(
        "number;name;street;postal_code;city\n"
        f"{LOAD_PROPERTY};Lasttest-Hof;Lastweg 1;22767;Hamburg\n"
    )
    units = ["property;number;kind;street;location;rooms;living_area"]
    tenants = [
        "number;salutation;title;first_name;last_name;street;address_extra;postal_code;city;"
        "country;phone;email;paperless_consent"
    ]
    contracts = [
        "number;property;unit;partners;start_date;end_date;grundmiete;"
        "betriebskosten_vorauszahlung;heizkosten_vorauszahlung"
    ]
    for i in range(1, count + 1):
        unit = f"L{i:03d}"
        tenant = f"9{int(LOAD_PROPERTY):04d}{i:03d}"
        area = 45 + (i * 7) % 50
        units.append(f"{LOAD_PROPERTY};{unit};flat;;{i // 6}. OG;2.5;{area}.50")
        tenants.append(
            f"{tenant};{'ms' if i % 2 else 'mr'};;Last;Mieter {i:03d};Lastweg 1;{unit};22767;"
            f"Hamburg;DE;;{load_email(i)};"
        )
        contracts.append(
            f"{LOAD_PROPERTY}-{unit}-01;{LOAD_PROPERTY};{unit};{tenant};2020-01-01;;612.40;"
            "155.00;92.60"
        )
    (directory / "units.csv").write_text("\n".join(units) + "\n")
    (directory / "tenants.csv").write_text("\n".join(tenants) + "\n")
    (directory / "contracts.csv").write_text("\n".join(contracts) + "\n")
    (directory / "responsibilities.csv").write_text(
        "property;area;clerk_email;team\n"
        f"{LOAD_PROPERTY};accounting;buchhaltung@example.com;Team Mietenbuchhaltung\n"
        f"{LOAD_PROPERTY};customer_service;sachbearbeitung@example.com;Team Kundenservice\n"
        f"{LOAD_PROPERTY};technical;technik@example.com;Team Technik\n"
    )


def seed_load_tenants(count: int) -> None:
    """Tenants, flats, contracts, meters, readings, statements and logins for the load test."""
    import django

    django.setup()

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from consumption.models import Meter, Reading
    from consumption.selectors import add_months
    from consumption.services import consumption_import_text
    from documents.models import Document
    from documents.pdf import render_pdf
    from documents.services import documents_publish_files
    from tenants.erp.importer import erp_import
    from tenants.models import Tenant, Unit, User

    with tempfile.TemporaryDirectory() as directory:
        _write_erp_export(Path(directory), count)
        report = erp_import(directory=directory, notify=False)
        if report.refused_total:
            raise SystemExit(report.text())

    flats = list(Unit.objects.filter(property__number=LOAD_PROPERTY).order_by("number"))
    meters = []
    for unit in flats:
        for prefix, kind, measure_unit in [
            ("HZ", "heating", "kWh"),
            ("WW", "hot_water", "m3"),
            ("KW", "cold_water", "m3"),
        ]:
            meter, _ = Meter.objects.get_or_create(
                serial=f"{prefix}-{LOAD_PROPERTY}-{unit.number}",
                defaults={"unit": unit, "kind": kind, "remote": True, "measure_unit": measure_unit},
            )
            meters.append(meter)
    readings = 0
    if not Reading.objects.filter(meter__unit__property__number=LOAD_PROPERTY).exists():
        last = add_months(timezone.localdate().replace(day=1), -1)
        lines = ["meter;month;value;unit"]
        for n, meter in enumerate(meters):
            for offset in range(36):
                month = add_months(last, -offset)
                base = {"heating": 420.0, "hot_water": 2.1, "cold_water": 4.4}[meter.kind]
                value = base * (1 + 0.4 * ((month.month + n) % 12 - 6) / 6)
                lines.append(f"{meter.serial};{month:%Y-%m};{value:.3f};{meter.measure_unit}")
        readings = consumption_import_text(text="\n".join(lines), file_name="load.csv").accepted

    # One rendering, published for every contract (the statements' text does not matter here).
    pdf = render_pdf(
        "pdf/demo_statement.html",
        {"title": "Betriebskostenabrechnung 2025", "number": "", "total": "Guthaben 12,00 €"},
    )
    numbers = [f"{LOAD_PROPERTY}-{unit.number}-01" for unit in flats]
    published = 0
    for kind, title in [
        (Document.Kind.BETRIEBSKOSTEN, "Betriebskostenabrechnung 2025"),
        (Document.Kind.HEIZKOSTEN, "Heizkostenabrechnung 2025"),
    ]:
        report = documents_publish_files(
            files=[(f"{number}.pdf", lambda: pdf) for number in numbers],
            kind=kind,
            period="2025",
            title=title,
        )
        if report.unmatched or report.invalid:
            raise SystemExit(f"statements not published: {report.unmatched + report.invalid}")
        published += len(report.published)

    password = make_password(LOAD_PASSWORD)  # one Argon2 hash for all: same password
    with transaction.atomic():
        for i in range(1, count + 1):
            email = load_email(i)
            user, _ = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": "Last",
                    "last_name": f"Mieter {i:03d}",
                    "password": password,
                },
            )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            Tenant.objects.filter(
                tenant_number=f"9{int(LOAD_PROPERTY):04d}{i:03d}", user__isnull=True
            ).update(user=user)
    print(
        f"{count} load tenants in property {LOAD_PROPERTY}: {len(meters)} meters, "
        f"{readings} monthly values, {published} statements"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "seed":
        seed_load_tenants(int(sys.argv[2]))
    else:
        print("A module for benchmarks/load.py; `seed N` is its own subprocess.")
