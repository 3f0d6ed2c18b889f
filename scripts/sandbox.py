"""A throw-away portal for the film and the screenshots: fresh SQLite database with demo data,
media and mail in a temporary folder, `runserver` on a free port, Chromium via Playwright.

Nothing here touches var/portal.sqlite3 or var/media/: every run starts from the current code and
migrations, so the pictures always show today's pages.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "Demo-Passwort-2026!"  # noqa: S105 (the public demo logins)
# What seed_demo prints for the tenant without an account (registration/demo.py).
_DEMO_CODE = re.compile(
    r"Registration demo: code (?P<code>[0-9A-Z-]+) with last name '(?P<name>[^']+)'"
)


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)


@dataclass
class Demo:
    folder: Path
    database: Path  # seeded once; every server gets its own copy
    registration_code: str
    last_name: str


def _env(folder: Path, database: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # Never reach the developer's or a shared database, broker or mail server.
        if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "CELERY_", "PORTAL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="scripts.film_settings",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        FILM_MAIL_DIR=str(folder / "mail"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _manage(folder: Path, database: Path, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(folder, database),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def demo():
    """A temporary folder with a migrated, seeded database; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="portal-film-"))
    try:
        database = folder / "seeded.sqlite3"
        print("Preparing a fresh demo database …", flush=True)
        _manage(folder, database, "migrate", "--noinput")
        out = _manage(folder, database, "seed_demo")
        match = _DEMO_CODE.search(out)
        if not match:
            fail("seed_demo did not print the registration demo's code:\n" + out)
        yield Demo(folder, database, match["code"], match["name"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(demo: Demo, name: str, port: int = 0):
    """runserver on a copy of the seeded database; yields the base URL."""
    database = demo.folder / f"{name}.sqlite3"
    shutil.copyfile(demo.database, database)
    port = port or _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _env(demo.folder, database) | {"PORTAL_BASE_URL": base}
    log = open(demo.folder / f"{name}-server.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (own server)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    fail(
                        "the portal did not start:\n"
                        + (demo.folder / f"{name}-server.log").read_text()
                    )
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@contextmanager
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        fail("Python playwright is missing (pip install -r requirements/local.txt).")
    if not Path(CHROMIUM).exists():
        fail(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set PORTAL_CHROMIUM)."
        )
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def new_context(browser, base: str, *, language: str, viewport: dict, **options):
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=1,
        locale="de-DE" if language == "de" else "en-GB",
        **options,
    )
    # The portal follows only the language switch's cookie, not the browser's language.
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context


def login(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/konto/login/" in page.url:
        fail(f"could not sign in as {email}")


def save_png(data: bytes, path: Path, *, colours: int = 128, scale: float = 1.0) -> None:
    """An optimised PNG: palette-quantised (like pngquant), optionally scaled down."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    if scale != 1.0:
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
    image = image.quantize(
        colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
