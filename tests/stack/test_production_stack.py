"""The production stack end to end, and what it does when its parts fail.

gunicorn with config.settings.production, a Celery worker and beat, PostgreSQL, Redis and an
SMTP sink run as real processes (tests/stack/harness.py). Through HTTP, tenants log in and send
damage reports with a photo and bank changes; the worker routes them to the clerks and the
clerks' e-mails must arrive at the sink. Then, one at a time:

- the worker is killed with SIGKILL in the middle of routing (its transaction open, waiting on a
  row lock) and in the middle of sending (the SMTP server keeps it waiting): the broker would
  give the acks-late message back only after its visibility timeout (two hours), so recovery
  must come from the database sweepers;
- Redis is stopped while tenants submit (and it keeps nothing on disk: the queue is lost);
- the SMTP server refuses for a while;
- PostgreSQL is stopped and started again.

At the end every item is routed exactly once, and every e-mail in the outbox was delivered
exactly once: nothing lost, nothing duplicated. Run by `make test` in CI (CI=true) or with
PORTAL_STACK_TEST=1; takes about two minutes.
"""

import os
import shutil
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from ..conftest import CI
from .harness import (
    PrivatePostgres,
    PrivateRedis,
    SmtpSink,
    Stack,
    Tenant,
    missing_prerequisites,
    png_photo,
    wait_for,
)

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        not CI and os.environ.get("PORTAL_STACK_TEST") != "1",
        reason="starts the production stack (about 2 minutes): CI=true or PORTAL_STACK_TEST=1",
    ),
]

PASSWORD = "Demo-Passwort-2026!"
# Generous bounds: the sweepers run every 2 s with a grace period of 8 s in this test.
RECOVERY_SECONDS = 90
HEALTHY = (200, {"database": "ok", "broker": "ok", "status": "ok"})


@pytest.fixture(scope="module")
def stack():
    missing = missing_prerequisites()
    if missing:
        message = "the production stack test needs " + ", ".join(missing)
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="portal-stack-"))
    postgres = PrivatePostgres()
    redis = PrivateRedis(root)
    sink = SmtpSink()
    stack = None
    try:
        postgres.init()
        redis.start()
        sink.start()
        stack = Stack(root, postgres, redis, sink.port)
        stack.postgres, stack.redis, stack.sink = postgres, redis, sink
        stack.prepare()
        # Mail the demo data left in the outbox is not part of what is counted.
        stack.outbox_baseline = postgres.query(
            "SELECT coalesce(max(id), 0) FROM tenants_outboundemail"
        )[0][0]
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        wait_for(lambda: stack.healthz() == HEALTHY, timeout=60, what="/healthz to report ok")
        yield stack
    except BaseException:
        if stack is not None:
            print(stack.logs(80))
        raise
    finally:
        if stack is not None:
            stack.stop_all()
        redis.stop()
        sink.stop()
        postgres.destroy()
        shutil.rmtree(root, ignore_errors=True)


class Portal:
    """The test's view of the stack's database and mailbox."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.db = stack.postgres
        self.sink = stack.sink
        self.tenants: dict[str, Tenant] = {}
        self.submitted: dict[str, list[int]] = {"request": [], "bank_change": []}

    def tenant(self, address: str) -> Tenant:
        if address not in self.tenants:
            tenant = Tenant(self.stack.base_url, address, PASSWORD)
            tenant.log_in()
            self.tenants[address] = tenant
        return self.tenants[address]

    def damage_report(self, address: str, text: str) -> int:
        tenant = self.tenant(address)
        [(category,)] = self.db.query(
            "SELECT id FROM requests_category WHERE name = 'Wasser/Sanitär'"
        )
        before = {pk for (pk,) in self.db.query("SELECT id FROM requests_contactrequest")}
        page, form = tenant.form(f"/kontakt/neu/{category}/", having="message")
        result = tenant.submit(
            page,
            form,
            {"location": "Bad", "since": "heute früh", "message": text},
            files={"attachments": ("pfuetze.png", png_photo(), "image/png")},
        )
        assert result.status == 200, (
            f"damage report by {address}: {result.status}\n{result.text[:2000]}"
        )
        [pk] = {pk for (pk,) in self.db.query("SELECT id FROM requests_contactrequest")} - before
        assert self.db.query(
            "SELECT count(*) FROM requests_attachment WHERE request_id = %s", pk
        ) == [(1,)]
        self.submitted["request"].append(pk)
        return pk

    def bank_change(self, address: str, iban: str) -> int:
        tenant = self.tenant(address)
        [(number,)] = self.db.query(
            "SELECT c.contract_number FROM contracts_contract c "
            "JOIN contracts_contract_partners p ON p.contract_id = c.id "
            "JOIN tenants_tenant t ON t.id = p.tenant_id JOIN tenants_user u ON u.id = t.user_id "
            "WHERE u.email = %s AND c.contract_number LIKE '%%-W%%' "
            "ORDER BY c.contract_number LIMIT 1",
            address,
        )
        before = {pk for (pk,) in self.db.query("SELECT id FROM contracts_bankchangerequest")}
        page, form = tenant.form(f"/vertraege/{number}/bankverbindung/", having="iban")
        result = tenant.submit(page, form, {"iban": iban, "consent": "on"}, button="submit")
        assert result.status == 200 and "/bankverbindung/" in result.url, (
            f"bank change by {address}: {result.status} {result.url}\n{result.text[:2000]}"
        )
        [pk] = {
            pk for (pk,) in self.db.query("SELECT id FROM contracts_bankchangerequest")
        } - before
        self.submitted["bank_change"].append(pk)
        return pk

    def routed(self, kind: str, pk: int) -> bool:
        table = {
            "request": "requests_contactrequest",
            "bank_change": "contracts_bankchangerequest",
        }[kind]
        [(routed_at,)] = self.db.query(f"SELECT routed_at FROM {table} WHERE id = %s", pk)  # noqa: S608
        return routed_at is not None

    def outbox(self) -> list[tuple[int, str, str]]:
        return self.db.query(
            'SELECT id, status, "to" FROM tenants_outboundemail WHERE id > %s ORDER BY id',
            self.stack.outbox_baseline,
        )

    def all_delivered(self) -> bool:
        rows = self.outbox()
        return (
            bool(rows)
            and all(status == "sent" for _, status, _ in rows)
            and ({row[0] for row in rows} <= {m.outbox_id for m in self.sink.delivered})
        )

    def settle(self, what: str, *items: tuple[str, int]) -> None:
        """Wait until the items are routed and the outbox is empty and delivered."""

        def done() -> bool:
            self.stack.revive()
            return all(self.routed(*item) for item in items) and self.all_delivered()

        try:
            wait_for(done, timeout=RECOVERY_SECONDS, what=what)
        except TimeoutError:
            print(self.stack.logs(60))
            raise


def test_the_production_stack_survives_killed_workers_and_outages(stack):
    portal = Portal(stack)
    sink = stack.sink
    started = time.monotonic()

    # 1. The everyday path: a damage report with a photo and a bank change, routed and mailed.
    first = portal.damage_report("mieterin@example.com", "Unter dem Waschbecken tropft es.")
    change = portal.bank_change("mieterin@example.com", "DE12500105170648489890")
    portal.settle("the first report and bank change", ("request", first), ("bank_change", change))
    to = Counter(address for m in sink.delivered for address in m.to)
    assert to["technik@example.com"] == 1  # responsible for the property's technical matters
    assert to["buchhaltung@example.com"] == 1

    # 2. The worker dies in the middle of routing: its transaction is open, waiting for a row
    #    lock the test holds. Nothing may be half-routed; the sweeper routes it once.
    stack.signal("worker", signal.SIGSTOP)
    blocked = portal.damage_report("mieter@example.com", "Die Heizung im Bad gluckert und tropft.")
    with stack.postgres.connect() as lock:
        lock.autocommit = False
        lock.execute("SELECT id FROM requests_contactrequest WHERE id = %s FOR UPDATE", (blocked,))
        stack.signal("worker", signal.SIGCONT)
        wait_for(
            lambda: stack.postgres.query(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                # The routing's SELECT ... FOR UPDATE (its text is cut at 1 KB here).
                """AND query LIKE 'SELECT "requests_contactrequest"."id"%%'"""
            )[0][0],
            timeout=30,
            what="the worker to wait on the request's row lock",
            diagnose=lambda: (
                stack.logs(40),
                stack.postgres.query("SELECT state, wait_event_type, query FROM pg_stat_activity"),
            ),
        )
        stack.kill("worker")
        lock.rollback()
    assert not portal.routed("request", blocked)
    stack.start_worker()
    portal.settle("routing after the worker was killed mid-routing", ("request", blocked))

    # 3. The worker dies in the middle of sending: the SMTP server keeps it waiting at RCPT.
    sink.mode = "hold"
    sending = portal.damage_report("mieterin@example.com", "Im Keller steht Wasser.")
    wait_for(
        lambda: sink.held, timeout=RECOVERY_SECONDS, what="a delivery to hang at the SMTP server"
    )
    stack.kill("worker")
    delivered_before = len(sink.delivered)
    sink.mode = "accept"
    time.sleep(1)
    assert len(sink.delivered) == delivered_before  # the killed delivery never completed
    stack.start_worker()
    portal.settle("delivery after the worker was killed mid-sending", ("request", sending))

    # 4. Redis is stopped while tenants submit; it comes back empty.
    stack.redis.stop()
    assert stack.healthz() == (
        200,
        {"database": "ok", "broker": "unavailable", "status": "degraded"},
    )
    during_outage = [
        (
            "request",
            portal.damage_report("mieterin@example.com", "Der Wasserhahn in der Küche leckt."),
        ),
        ("request", portal.damage_report("mieter@example.com", "Das Waschbecken ist verstopft.")),
        ("bank_change", portal.bank_change("mieter@example.com", "DE89370400440532013000")),
    ]
    assert not any(portal.routed(*item) for item in during_outage)
    stack.redis.start()
    portal.settle("routing and mail after Redis came back", *during_outage)
    wait_for(lambda: stack.healthz()[1].get("status") == "ok", timeout=30, what="/healthz ok again")

    # 5. The SMTP server refuses for a while: retried, then delivered once.
    sink.mode = "refuse"
    refused = portal.damage_report("mieter@example.com", "Die Toilettenspülung läuft ständig.")
    wait_for(lambda: sink.refused >= 2, timeout=RECOVERY_SECONDS, what="two refused attempts")
    sink.mode = "accept"
    portal.settle("delivery after the SMTP server accepted again", ("request", refused))

    # 6. PostgreSQL stops and starts again: /healthz tells, and the next requests succeed.
    stack.postgres.stop()
    status, body = stack.healthz()
    assert (status, body.get("database")) == (503, "unavailable")
    stack.postgres.start()
    assert stack.healthz() == HEALTHY
    for tenant in portal.tenants.values():
        page = tenant.get("/")
        assert page.status == 200 and "/konto/login/" not in page.url
    after_restart = portal.damage_report(
        "mieterin@example.com", "Nach dem Neustart: Fenster undicht."
    )
    portal.settle("routing and mail after the PostgreSQL restart", ("request", after_restart))

    # Everything once: every item routed by exactly one routing, every mail delivered once.
    for kind, ids in portal.submitted.items():
        for pk in ids:
            label = {
                "request": "requests.ContactRequest",
                "bank_change": "contracts.BankChangeRequest",
            }[kind]
            routings = stack.postgres.query(
                "SELECT count(*) FROM tenants_auditentry "
                "WHERE action = %s AND object_type = %s AND object_id = %s",
                f"{'request' if kind == 'request' else 'bank_change'}.routed", label, str(pk),
            )[0][0]  # fmt: skip
            assert routings == 1, f"{kind} {pk} routed {routings} times"
    rows = portal.outbox()
    per_row = Counter(m.outbox_id for m in sink.delivered)
    duplicates = sum(n - 1 for n in per_row.values() if n > 1)
    lost = [pk for pk, status, _ in rows if per_row[pk] == 0]
    strangers = [m for m in sink.delivered if m.outbox_id not in {pk for pk, _, _ in rows}]
    to = Counter(address for m in sink.delivered for address in m.to)
    requests_made = sum(t.requests_made for t in portal.tenants.values())
    print(
        f"\nSTACK: {requests_made} HTTP requests by {len(portal.tenants)} tenants, "
        f"{len(portal.submitted['request'])} damage reports with photo, "
        f"{len(portal.submitted['bank_change'])} bank changes; {len(rows)} e-mails in the outbox, "
        f"{len(sink.delivered)} delivered ({to['technik@example.com']} to Technik, "
        f"{to['buchhaltung@example.com']} to Mietenbuchhaltung), {sink.refused} refused attempts, "
        f"duplicates {duplicates}, lost {len(lost)}; {time.monotonic() - started:.0f} s; "
        f"processes restarted after exiting on their own: {stack.restarts or 'none'}"
    )
    assert duplicates == 0
    assert lost == []
    assert strangers == []
    assert to["technik@example.com"] == len(portal.submitted["request"])
    assert to["buchhaltung@example.com"] == len(portal.submitted["bank_change"])
