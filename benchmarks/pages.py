"""Benchmark: every tenant page against a bare Django hello world, side by side.

Starts the production stack of tests/stack/harness.py (its own PostgreSQL cluster and Redis,
gunicorn with 2 sync workers and config.settings.production, the demo data) and the one-file
hello world of benchmarks/hello.py under the same gunicorn, signs the demo tenant in and drives
each page with wrk (20 connections, loopback). Prints and writes benchmarks/results/pages.md:
req/s, p50, p99, × hello world and the SQL queries of each page.

    .venv/bin/python benchmarks/pages.py                 # 10 s per page
    BENCH_SECONDS=3 .venv/bin/python benchmarks/pages.py # a quick look

Needs wrk (apt) and the PostgreSQL server binaries (as the stack test).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack.harness import (  # noqa: E402
    PrivatePostgres,
    PrivateRedis,
    Stack,
    Tenant,
    free_port,
    wait_for,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
TENANT = "mieterin@example.com"
PASSWORD = "Demo-Passwort-2026!"  # noqa: S105 - the demo data's documented password
RESULTS = ROOT / "benchmarks" / "results" / "pages.md"

# (label, path); "{contract}" is the tenant's flat contract.
PAGES = [
    ("Start page", "/"),
    ("Meine Verträge", "/vertraege/"),
    ("Vertrag", "/vertraege/{contract}/"),
    ("Meine Verbräuche", "/verbraeuche/"),
    ("Meine Dokumente", "/dokumente/"),
    ("Kontakt", "/kontakt/"),
    ("Neuigkeiten", "/neuigkeiten/"),
    ("Formulare", "/formulare/"),
    ("Profil", "/profil/"),
    ("Hilfe", "/hilfe/"),
]

QUERY_COUNT = """
import django
django.setup()
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tenants.models import User
import gc, time
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email=sys.argv[1]))
for path in sys.argv[2:]:
    client.get(path)  # warm (cards cached, session written)
gc.collect()
gc.freeze()  # as gunicorn.conf.py does after the first request
counts = {}
for path in sys.argv[2:]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    query_count = len(queries)  # now: the context reads the connection's log lazily
    times = []
    for _ in range(30):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    counts[path] = [query_count, sorted(times)[len(times) // 2] * 1000]
print(json.dumps(counts))
"""


def wrk(url: str, cookie: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    root = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    postgres, redis = PrivatePostgres(), PrivateRedis(root)
    stack = None
    hello = None
    try:
        postgres.init()  # and starts it
        redis.start()
        stack = Stack(root, postgres, redis, smtp_port=free_port())
        print("preparing the stack (migrate, collectstatic, demo data) …", flush=True)
        stack.prepare()
        stack.start_web()
        wait_for(lambda: stack.healthz()[0] == 200, timeout=60, what="gunicorn")

        hello_port = free_port()
        hello = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "benchmarks.hello:application", "--bind",
             f"127.0.0.1:{hello_port}", "--workers", "2"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        hello_url = f"http://127.0.0.1:{hello_port}/"
        wait_for(lambda: _answers(hello_url), timeout=30, what="hello world")

        tenant = Tenant(stack.base_url, TENANT, PASSWORD)
        tenant.log_in()
        jar = next(h.cookiejar for h in tenant.opener.handlers if hasattr(h, "cookiejar"))
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        contract = re.search(r'href="/vertraege/([^/"]+)/"', tenant.get("/vertraege/").text)[1]
        paths = [(label, path.format(contract=contract)) for label, path in PAGES]

        env = {**stack.env}
        queries = subprocess.run(
            [sys.executable, "-c", QUERY_COUNT, TENANT]
            + [path for _, path in paths],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        query_counts = _last_json(queries)

        print(f"wrk: {CONNECTIONS} connections, {SECONDS} s per page", flush=True)
        rows = []
        hello_runs = []
        for label, path in paths:
            hello_runs.append(wrk(hello_url))  # side by side: hello measured before each page
            result = wrk(stack.base_url + path, cookie)
            rows.append((label, path, result))
            print(f"  {label:18} {result['rps']:8.0f} req/s  (hello {hello_runs[-1]['rps']:.0f})",
                  flush=True)  # fmt: skip
        hello_rps = sorted(run["rps"] for run in hello_runs)[len(hello_runs) // 2]
        report(rows, hello_runs, hello_rps, query_counts, postgres)
    finally:
        if hello is not None:
            hello.terminate()
        if stack is not None:
            stack.stop_all()
        redis.stop()
        postgres.destroy()
        shutil.rmtree(root, ignore_errors=True)


def _answers(url: str) -> bool:
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def _last_json(text: str) -> dict:
    import json

    return json.loads(text.strip().splitlines()[-1])


def report(rows, hello_runs, hello_rps, query_counts, postgres) -> None:
    version = postgres.query("SHOW server_version")[0][0]
    lines = [
        "# Tenant pages against a bare Django hello world",
        "",
        f"- date: {date.today().isoformat()}; machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {version}; load average at the end "
        f"{os.getloadavg()[0]:.1f} (everything shares the machine: wrk, gunicorn, PostgreSQL)",
        "- production settings on PostgreSQL + Redis, gunicorn with 2 sync workers for both; "
        f"wrk with {CONNECTIONS} connections, {SECONDS} s per page, loopback; the hello world is "
        "measured again right before each page and the ratio uses that run; in-process: the "
        "median of 30 warm requests through Django's test client in one process, without the "
        "server (what the page itself costs)",
        f"- hello world: median {hello_rps:,.0f} req/s",
        "",
        "| page | req/s | p50 ms | p99 ms | × hello | SQL queries | in-process ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (label, path, result), hello in zip(rows, hello_runs, strict=True):
        lines.append(
            f"| {label} (`{path}`) | {result['rps']:,.0f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {result['rps'] / hello['rps']:.3f} | "
            f"{query_counts[path][0]} | {query_counts[path][1]:.1f} | {result['errors']} |"
        )
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)")
