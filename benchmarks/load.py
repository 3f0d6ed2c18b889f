"""Load and soak: simulated tenants against the production stack on this machine.

Starts the production stack of tests/stack (benchmarks/stack.py: gunicorn with
config.settings.production as the image runs it, a Celery worker and beat, a private PostgreSQL
cluster and Redis, an SMTP sink), seeds the demo data plus `--tenants` load-test tenants, and
lets that many tenants work at the same time for `--duration` seconds. Each is an httpx client
with its own cookie jar and a browser's user agent, going through the same journey again and
again:

    login page, sign in (POST) -> start page -> documents list -> download of one statement
    -> consumption page and its chart -> Kontakt: categories, the damage form, POST with a
    PNG photo (multipart), the request's page -> logout page, log out (POST)

with a think time between pages (`--think`, mean seconds; 0 = as fast as possible). Forms are
read from the page like a browser does (CSRF token, hidden fields, selects).

Counted: every HTTP request's latency per page (p50/p95/p99), total requests and req/s, errors
(a transport error, an unexpected status, a POST that did not redirect where it should, a page
without what it must show), gunicorn's worker RSS (sum over its worker processes, /proc) after
the warm-up and at the end, and afterwards whether every Kontakt request was routed by the
worker exactly once and every e-mail of the outbox reached the SMTP sink exactly once.

Run: `.venv/bin/python benchmarks/load.py` (50 tenants, 5 minutes, writes
benchmarks/results/load.md) or `--quick` (10 tenants, 30 s, prints only). Loopback only;
bounded: the load stops at the deadline, a request times out after 60 s, settling after 5 min.
Exit status 1 when a request failed or something was not routed or delivered exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from benchmarks.stack import LOAD_PASSWORD, LoadStack, load_email  # noqa: E402
from tests.stack.harness import _Forms, png_photo, wait_for  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load.md"
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# The order of the table; each HTTP request of the journey is one of these.
PAGES = [
    "login page",
    "login (POST)",
    "start page",
    "documents",
    "download",
    "consumption",
    "consumption chart (SVG)",
    "kontakt: categories",
    "kontakt: damage form",
    "kontakt: send (POST, photo)",
    "kontakt: request page",
    "logout page",
    "logout (POST)",
]
DOWNLOAD = re.compile(r'href="(/dokumente/\d+/herunterladen/)"')
CHART = re.compile(r'<img src="(/verbraeuche/diagramm/[^"]+)"')
SETTLE_SECONDS = 300
REQUEST_TIMEOUT = 60


class JourneyError(Exception):
    pass


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    journeys: int = 0
    requests: int = 0
    bytes_in: int = 0

    def error(self, page: str, text: str) -> None:
        self.errors[page] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{page}: {text}")


class SimulatedTenant:
    def __init__(self, index: int, base_url: str, results: Results, *, think: float, photo: bytes):
        self.index = index
        self.email = load_email(index)
        self.base_url = base_url
        self.results = results
        self.think = think
        self.photo = photo
        self.rng = random.Random(index)
        self.client = self._client()

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                "User-Agent": USER_AGENT,
                "Accept-Language": "de-DE,de;q=0.9",
                # What the load balancer adds: this tenant's own address (see stack.py).
                "X-Forwarded-For": f"10.20.{self.index // 250}.{self.index % 250 + 1}",
            },
            timeout=REQUEST_TIMEOUT,
            follow_redirects=False,
        )

    async def pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))

    async def request(self, page: str, method: str, url: str, **kwargs) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise JourneyError(f"{page}: {method} {url}: {type(error).__name__} {error}") from None
        self.results.latencies[page].append(time.perf_counter() - started)
        self.results.requests += 1
        self.results.bytes_in += len(response.content)
        return response

    async def get(self, page: str, url: str) -> httpx.Response:
        response = await self.request(page, "GET", url)
        if response.status_code != 200:
            raise JourneyError(f"{page}: GET {url}: {response.status_code}")
        return response

    async def post(
        self,
        page: str,
        response: httpx.Response,
        having: str,
        values: dict,
        *,
        to: str,
        files=None,
        action: str = "",
    ) -> str:
        """Submit the page's POST form that has field `having` (and an action that ends with
        `action`); expect a redirect to a path that matches `to`."""
        parser = _Forms()
        parser.feed(response.text)
        form = next(
            (
                f
                for f in parser.forms
                if f["method"] == "post"
                and f["action"].endswith(action)
                and (having in f["fields"] or having in f["buttons"] or having in f["files"])
            ),
            None,
        )
        if form is None:
            raise JourneyError(f"{page}: {response.url.path} has no form with {having!r}")
        data = {**form["fields"], **values}
        for name, options in form["selects"].items():
            if not data.get(name):
                data[name] = next((o for o in options if o), "")
        url = urljoin(str(response.url), form["action"] or response.url.path)
        answer = await self.request(page, "POST", url, data=data, files=files)
        location = answer.headers.get("location", "")
        if answer.status_code != 302 or not re.match(to, urlsplit(location).path):
            raise JourneyError(
                f"{page}: POST {urlsplit(url).path}: {answer.status_code} to {location!r}"
                + (" (the form came back with errors)" if answer.status_code == 200 else "")
            )
        return location

    async def journey(self, category: int) -> None:
        page = await self.get("login page", "/konto/login/")
        await self.pause()
        await self.post(
            "login (POST)",
            page,
            "password",
            {"login": self.email, "password": LOAD_PASSWORD},
            to=r"^/$",
        )
        await self.get("start page", "/")
        await self.pause()
        documents = await self.get("documents", "/dokumente/")
        links = DOWNLOAD.findall(documents.text)
        if not links:
            raise JourneyError("documents: no statement to download on the list")
        await self.pause()
        pdf = await self.get("download", self.rng.choice(links))
        if not pdf.content.startswith(b"%PDF"):
            raise JourneyError(f"download: not a PDF ({pdf.headers.get('content-type')})")
        consumption = await self.get("consumption", "/verbraeuche/")
        chart = CHART.search(consumption.text)
        if chart is None:
            raise JourneyError("consumption: no chart of the tenant's values on the page")
        svg = await self.get("consumption chart (SVG)", chart.group(1))
        if b"<svg" not in svg.content[:500]:
            raise JourneyError("consumption chart (SVG): not an SVG")
        await self.pause()
        await self.get("kontakt: categories", "/kontakt/neu/")
        await self.pause()
        form = await self.get("kontakt: damage form", f"/kontakt/neu/{category}/")
        await self.pause()
        reference = await self.post(
            "kontakt: send (POST, photo)",
            form,
            "message",
            {
                "location": "Bad",
                "since": "heute früh",
                "message": f"Lasttest {self.index}: unter dem Waschbecken tropft es.",
            },
            files={"attachments": ("tropfen.png", self.photo, "image/png")},
            to=r"^/kontakt/[^/]+/$",
        )
        await self.get("kontakt: request page", reference)
        await self.pause()
        logout = await self.get("logout page", "/konto/logout/")
        await self.post(
            "logout (POST)",
            logout,
            "csrfmiddlewaretoken",
            {},
            to=r"^/konto/login/$",
            action="/konto/logout/",
        )

    async def run(self, category: int, deadline: float, *, start_delay: float = 0) -> None:
        await asyncio.sleep(start_delay)
        try:
            while time.monotonic() < deadline:
                try:
                    await self.journey(category)
                except JourneyError as error:
                    page = str(error).split(":", 1)[0]
                    self.results.error(page, f"{self.email}: {error}")
                    # Start over like a user who closes the browser.
                    await self.client.aclose()
                    self.client = self._client()
                self.results.journeys += 1
                await self.pause()
        finally:
            await self.client.aclose()


# --------------------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def load(stack: LoadStack, args, results: Results, category: int, samples: list) -> float:
    photo = png_photo()
    started = time.monotonic()
    deadline = started + args.duration
    ramp = min(10.0, args.duration / 10)
    tenants = [
        SimulatedTenant(i, stack.base_url, results, think=args.think, photo=photo)
        for i in range(1, args.tenants + 1)
    ]

    async def sample() -> None:
        while True:
            samples.append((time.monotonic() - started, stack.web_workers_rss()))
            await asyncio.sleep(5)

    sampler = asyncio.create_task(sample())
    try:
        await asyncio.wait_for(
            asyncio.gather(
                *(
                    t.run(category, deadline, start_delay=ramp * n / len(tenants))
                    for n, t in enumerate(tenants)
                )
            ),
            timeout=args.duration + 3 * REQUEST_TIMEOUT,
        )
    finally:
        sampler.cancel()
    return time.monotonic() - started


async def warm_up(stack: LoadStack, count: int, category: int) -> None:
    """A few journeys without think time, so that every web worker has loaded its code."""
    results = Results()
    photo = png_photo()
    tenants = [
        SimulatedTenant(i, stack.base_url, results, think=0, photo=photo)
        for i in range(1, count + 1)
    ]
    for _ in range(2):
        await asyncio.gather(*(t.journey(category) for t in tenants))
    for t in tenants:
        await t.client.aclose()


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (image: 3)")
    parser.add_argument("--quick", action="store_true", help="10 tenants, 30 s, no results file")
    parser.add_argument("--output", type=Path, help=f"results file (default {RESULTS})")
    args = parser.parse_args()
    if args.quick:
        args.tenants, args.duration = min(args.tenants, 10), min(args.duration, 30)
    output = args.output or (None if args.quick else RESULTS)
    # A SIGTERM (timeout, CI) unwinds like Ctrl-C, so the stack's processes are stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    setup_started = time.monotonic()
    with LoadStack(tenants=args.tenants, web_workers=args.web_workers) as stack:
        print(f"stack up in {time.monotonic() - setup_started:.0f} s: {stack.seed_report}")
        [(category,)] = stack.query(
            "SELECT id FROM requests_category WHERE name = 'Wasser/Sanitär'"
        )
        [(request_baseline,)] = stack.query(
            "SELECT coalesce(max(id), 0) FROM requests_contactrequest"
        )
        [(outbox_baseline,)] = stack.query("SELECT coalesce(max(id), 0) FROM tenants_outboundemail")
        fresh = stack.web_workers_rss()
        asyncio.run(warm_up(stack, min(args.tenants, 2 * args.web_workers + 2), category))
        start_rss = stack.web_workers_rss()
        start_worker_rss = stack.worker_rss()
        cpu_before = stack.web_cpu_seconds(), time.process_time()
        load_before = os.getloadavg()[0]

        results = Results()
        samples: list[tuple[float, dict[int, int]]] = []
        print(f"{args.tenants} tenants for {args.duration:.0f} s (think time {args.think} s) ...")
        elapsed = asyncio.run(load(stack, args, results, category, samples))
        end_rss = stack.web_workers_rss()
        end_worker_rss = stack.worker_rss()
        web_cpu = stack.web_cpu_seconds() - cpu_before[0]
        client_cpu = time.process_time() - cpu_before[1]
        report_load = (load_before, os.getloadavg()[0])

        # Afterwards: every Kontakt request routed once by the worker, every mail sent once.
        def created() -> list[tuple[int, bool]]:
            return stack.query(
                "SELECT id, routed_at IS NOT NULL FROM requests_contactrequest WHERE id > %s",
                request_baseline,
            )

        def outbox() -> list[tuple[int, str]]:
            return stack.query(
                "SELECT id, status FROM tenants_outboundemail WHERE id > %s", outbox_baseline
            )

        def settled() -> bool:
            stack.stack.revive()
            delivered = {m.outbox_id for m in stack.sink.delivered}
            return all(routed for _, routed in created()) and all(
                status == "sent" and pk in delivered for pk, status in outbox()
            )

        settle_started = time.monotonic()
        try:
            wait_for(settled, timeout=SETTLE_SECONDS, interval=1, what="routing and mail")
        except TimeoutError as error:
            print(error)
        settle_time = time.monotonic() - settle_started
        requests_created = created()
        routings = dict(
            stack.query(
                "SELECT object_id, count(*) FROM tenants_auditentry "
                "WHERE action = 'request.routed' AND object_type = 'requests.ContactRequest' "
                "GROUP BY object_id"
            )
        )
        mails = outbox()
        per_mail = Counter(m.outbox_id for m in stack.sink.delivered)
        [(pg_version,)] = stack.query("SHOW server_version")
        report = {
            "requests_created": len(requests_created),
            "routed": sum(1 for _, routed in requests_created if routed),
            "routed_once": sum(1 for pk, _ in requests_created if routings.get(str(pk)) == 1),
            "mails": len(mails),
            "sent": sum(1 for _, status in mails if status == "sent"),
            "delivered": sum(1 for pk, _ in mails if per_mail[pk] >= 1),
            "duplicates": sum(per_mail[pk] - 1 for pk, _ in mails if per_mail[pk] > 1),
            "to_technik": sum(
                1
                for m in stack.sink.delivered
                if m.outbox_id and m.outbox_id > outbox_baseline and "technik@example.com" in m.to
            ),
            "settle_time": settle_time,
            "restarts": dict(stack.stack.restarts),
            "loadavg": report_load,
        }

    text = render(
        args, results, elapsed, fresh, start_rss, end_rss, samples, start_worker_rss,
        end_worker_rss, web_cpu, client_cpu, pg_version, report,
    )  # fmt: skip
    print(text)
    if output:
        output.write_text(text)
        print(f"written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    ok = (
        not results.errors
        and report["routed_once"] == report["requests_created"]
        and report["delivered"] == report["mails"]
        and not report["duplicates"]
    )
    return 0 if ok else 1


def render(
    args, results, elapsed, fresh, start_rss, end_rss, samples, start_worker_rss, end_worker_rss,
    web_cpu, client_cpu, pg_version, report,
) -> str:  # fmt: skip
    start_sum, end_sum = sum(start_rss.values()), sum(end_rss.values())
    growth = (end_sum - start_sum) / start_sum * 100 if start_sum else float("nan")
    peak = max((sum(s.values()) for _, s in samples), default=0)
    pids_seen = {pid for _, s in samples for pid in s} | set(end_rss)
    replaced = len(pids_seen - set(start_rss))
    errors = sum(results.errors.values())
    lines = [
        f"# Load and soak: {args.tenants} tenants for {args.duration / 60:g} minutes",
        "",
        f"- date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg_version}; load generator, "
        "portal, PostgreSQL and Redis share the machine (loopback)",
        f"- stack: gunicorn {args.web_workers} sync workers (config.settings.production, as the "
        "image's CMD), Celery worker prefork 2 processes + beat, sweepers on the production clock",
        f"- journey per tenant, repeated: login page, login POST, start page, documents, "
        "download of a statement (PDF), consumption page and its chart (SVG), Kontakt "
        "categories, damage form, POST with a 640×480 PNG (multipart), request page, logout "
        "page, logout POST; "
        f"think time {args.think:g} s mean (uniform 0.5–1.5×) between pages; each tenant "
        "its own httpx client and cookie jar",
        "",
        "## Result",
        "",
        f"- **errors: {errors}** of {results.requests} requests "
        f"({results.journeys} journeys, {results.requests / elapsed:.1f} req/s over "
        f"{elapsed:.0f} s, {results.bytes_in / 1e6:.0f} MB received)",
        f"- **gunicorn worker RSS: {mib(start_sum)} after warm-up → {mib(end_sum)} at the end, "
        f"growth {growth:+.1f} %** (goal < 10 %); peak {mib(peak)}; fresh workers before "
        f"warm-up {mib(sum(fresh.values()))}; workers replaced during the run: {replaced}",
        f"- Celery worker RSS (main + pool): {mib(start_worker_rss)} → {mib(end_worker_rss)}",
        f"- CPU during the load: gunicorn workers {web_cpu:.0f} s "
        f"({web_cpu / max(results.requests, 1) * 1000:.0f} ms per request, Argon2 sign-ins "
        f"included), load generator {client_cpu:.0f} s, of "
        f"{elapsed * (os.cpu_count() or 1):.0f} core-seconds; load average "
        f"{report['loadavg'][0]:.1f} at the start, {report['loadavg'][1]:.1f} at the end (the "
        "machine is shared: what the portal did not use went to other work, and the latencies "
        "include waiting for a core)",
        "- The RSS peaks during the run are Argon2's working memory (memory_cost 100 MiB per "
        "sign-in, given back afterwards), not growth",
        f"- Kontakt requests created (warm-up included): {report['requests_created']}, routed "
        f"by the worker: "
        f"{report['routed']}, with exactly one routing: {report['routed_once']}; e-mails in the "
        f"outbox: {report['mails']}, sent: {report['sent']}, delivered to the SMTP sink: "
        f"{report['delivered']} (to Technik: {report['to_technik']}), duplicates "
        f"{report['duplicates']}; settled {report['settle_time']:.0f} s after the load; "
        f"processes restarted: {report['restarts'] or 'none'}",
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    every = []
    for page in PAGES:
        values = results.latencies.get(page, [])
        every += values
        if values:
            ms = [percentile(values, p) * 1000 for p in (50, 95, 99)] + [max(values) * 1000]
            cells = " | ".join(f"{v:.0f}" for v in ms)
        else:
            cells = "– | – | – | –"
        lines.append(f"| {page} | {len(values)} | {cells} | {results.errors.get(page, 0)} |")
    if every:
        ms = [percentile(every, p) * 1000 for p in (50, 95, 99)] + [max(every) * 1000]
        cells = " | ".join(f"{v:.0f}" for v in ms)
        lines.append(f"| **all** | {len(every)} | {cells} | {errors} |")
    lines += ["", "Worker RSS over time (sum of the gunicorn workers, every ~30 s):", ""]
    lines += ["| s | RSS |", "| ---: | ---: |"]
    for at, rss in samples[::6] + samples[-1:]:
        lines.append(f"| {at:.0f} | {mib(sum(rss.values()))} |")
    if results.examples:
        lines += ["", "Errors (first 20):", ""] + [f"- `{e}`" for e in results.examples]
    lines += [
        "",
        f"Run: `.venv/bin/python benchmarks/load.py --tenants {args.tenants} "
        f"--duration {args.duration:g} --think {args.think:g}`. The absolute numbers depend on "
        "the machine, which the load generator shares with the portal here.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
