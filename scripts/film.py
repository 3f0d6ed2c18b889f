"""`make film`: the explainer film of the registration, in German and English.

Plays tenants/film.py's steps on a fresh demo portal in Chromium at phone size, with each step's
caption shown in the page, and writes to static/film/:
  registrierung-<lang>.webm   the film (VP9, a few hundred KB)
  registrierung-<lang>.png    its poster
  registrierung-<lang>.vtt    the captions, with the film's real timings
  steps/<step>-<lang>.png     the key screenshot of every step (the help page's transcript)

Frames are screenshots taken after every visible change (each typed character, each new page),
each held on screen for as long as the film should show it; ffmpeg turns that list into a
constant-rate video. Timings are exact, so the captions' cues match the film to the frame, and a
slow machine makes the film no slower. (Playwright's own video recorder needs a download.)

Usage: python scripts/film.py [--port N] [--language de|en]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import sandbox
from tenants.film import (
    LANGUAGES,
    SCREEN_HEIGHT,
    SCREEN_WIDTH,
    STEPS,
    TITLE,
    Step,
    film_file,
)

FPS = 10
TYPE_SECONDS = 0.08  # per typed character
ARRIVE_SECONDS = 1.0  # a new page, before anything happens on it
KEY_SECONDS = 2.0  # the filled-in page, before the click
MIN_STEP_SECONDS = 4.0  # long enough to read the caption
LAST_SECONDS = 4.5
TITLE_SECONDS = 2.5
EMAIL = "zoe.nunez@example.com"  # the demo tenant is Zoë Núñez-Straßburger
PASSWORD = "Sonnenblume-Balkon-42"  # noqa: S105 (a throw-away demo account)

_OVERLAY_JS = """
([text, counter]) => {
  let box = document.getElementById('film-caption');
  if (!box) {
    const style = document.createElement('style');
    style.textContent = `
      #film-caption { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483647;
        background: #111827; color: #fff; padding: 14px 18px 20px;
        font: 600 21px/1.35 system-ui, sans-serif; box-shadow: 0 -4px 16px rgba(0,0,0,.25); }
      #film-caption small { display: block; font-size: 14px; font-weight: 500; opacity: .8;
        margin-bottom: 4px; letter-spacing: .04em; }
      html { scroll-padding-bottom: 180px; }`;
    document.head.appendChild(style);
    box = document.createElement('div');
    box.id = 'film-caption';
    box.setAttribute('aria-hidden', 'true');
    document.body.appendChild(box);
  }
  box.replaceChildren();
  const small = document.createElement('small');
  small.textContent = counter;
  box.append(small, text);
  // Above the tab bar of signed-in pages, which is fixed to the bottom on phones.
  const bar = document.querySelector('.main-nav');
  const fixed = bar && getComputedStyle(bar).position === 'fixed' && bar.offsetHeight < 200;
  box.style.bottom = fixed ? bar.offsetHeight + 'px' : '0';
}
"""


_TITLE_JS = """
([title, portal]) => {
  const card = document.createElement('div');
  card.id = 'film-title';
  const style = document.createElement('style');
  style.textContent = `
    #film-title { position: fixed; inset: 0; z-index: 2147483647; display: flex;
      flex-direction: column; justify-content: center; gap: 12px; padding: 32px;
      background: rgba(5, 42, 76, .96); color: #fff; font-family: system-ui, sans-serif; }
    #film-title strong { font-size: 34px; line-height: 1.2; }
    #film-title span { font-size: 20px; opacity: .9; }`;
  const heading = document.createElement('strong');
  heading.textContent = title;
  const sub = document.createElement('span');
  sub.textContent = portal;
  card.append(heading, sub);
  document.head.appendChild(style);
  document.body.appendChild(card);
}
"""


class Film:
    """Frames with durations, and the caption cues, as the journey plays."""

    def __init__(self, page, folder: Path):
        self.page = page
        self.folder = folder
        self.frames: list[tuple[Path, float]] = []
        self.cues: list[tuple[float, float, str]] = []

    @property
    def now(self) -> float:
        return sum(duration for _, duration in self.frames)

    def frame(self, seconds: float) -> None:
        path = self.folder / f"frame-{len(self.frames):05d}.png"
        path.write_bytes(self.page.screenshot())
        self.frames.append((path, seconds))

    def hold(self, seconds: float) -> None:
        path, duration = self.frames[-1]
        self.frames[-1] = (path, duration + seconds)

    def caption(self, text: str, counter: str) -> None:
        self.page.evaluate(_OVERLAY_JS, [text, counter])

    def key_screenshot(self, target: Path) -> None:
        """The step's picture for the transcript: the page alone, without the caption."""
        self.page.evaluate("document.getElementById('film-caption').hidden = true")
        sandbox.save_png(self.page.screenshot(), target, colours=96)
        self.page.evaluate("document.getElementById('film-caption').hidden = false")


def _confirmation_code(mail_dir: Path) -> str:
    import email
    import re
    from email import policy

    files = sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
    for path in reversed(files):
        for raw in reversed(path.read_text().split("-" * 79)):
            if not raw.strip():
                continue
            message = email.message_from_string(raw.strip(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body else ""
            match = re.search(r"(?m)(?<![\w/])(\d{6})\s*$", text)
            if match:
                return match[1]
    sandbox.fail(f"no confirmation e-mail with a six-digit code in {mail_dir}")


def play(browser, base: str, demo: sandbox.Demo, language: str, folder: Path) -> Film:
    context = sandbox.new_context(
        browser,
        base,
        language=language,
        viewport={"width": SCREEN_WIDTH, "height": SCREEN_HEIGHT},
        bypass_csp=True,
    )
    page = context.new_page()
    film = Film(page, folder)
    values = {
        "code": demo.registration_code,
        "last_name": demo.last_name,
        "email": EMAIL,
        "password": PASSWORD,
    }
    for number, step in enumerate(STEPS, start=1):
        start = film.now
        if step.url:
            page.goto(base + step.url)
        page.wait_for_load_state()
        _expect_no_error(page, step)
        if number == 1:
            # The title card: the film's poster, before the first caption.
            portal = page.locator(".brand-name").first.inner_text()
            page.evaluate(_TITLE_JS, [TITLE[language], portal])
            film.frame(TITLE_SECONDS)
            page.evaluate("document.getElementById('film-title').remove()")
            start = film.now
        counter = f"{number} / {len(STEPS)}"
        film.caption(step.caption(language), counter)
        film.frame(ARRIVE_SECONDS)
        if any("{confirmation_code}" in value for value in step.fill.values()):
            # Sent by the previous step's submit; the newest mail is this run's.
            values["confirmation_code"] = _confirmation_code(demo.folder / "mail")
        for selector, value in step.fill.items():
            field = page.locator(selector)
            field.evaluate("e => e.scrollIntoView({block: 'center'})")
            field.focus()
            field.fill("")
            for character in value.format(**values):
                page.keyboard.type(character)
                film.frame(TYPE_SECONDS)
            film.hold(0.3)
        for selector in step.check:
            box = page.locator(selector)
            box.evaluate("e => e.scrollIntoView({block: 'center'})")
            box.check()
            film.frame(0.6)
        film.key_screenshot(sandbox.STATIC / step.screenshot(language))
        last = step is STEPS[-1]
        film.hold(
            max(KEY_SECONDS, (MIN_STEP_SECONDS if not last else LAST_SECONDS) - (film.now - start))
        )
        if step.click:
            button = page.locator(step.click).first
            button.evaluate("e => e.scrollIntoView({block: 'center'})")
            button.focus()
            film.frame(0.5)
            button.click()
        film.cues.append((start, film.now, step.caption(language)))
    context.close()
    return film


def _expect_no_error(page, step: Step) -> None:
    if page.locator(".error-summary, .errorlist").count():
        sandbox.fail(f"step {step.id!r}: the page shows an error:\n{page.inner_text('main')}")


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_vtt(film: Film, target: Path) -> None:
    # Cues at the top of the picture: the film shows the same caption burnt in at the bottom, and
    # the track is for those who cannot see the picture well or who search the text.
    lines = ["WEBVTT", ""]
    for index, (start, end, text) in enumerate(film.cues, start=1):
        timing = f"{_timestamp(start)} --> {_timestamp(end)} line:0 align:center"
        lines += [STEPS[index - 1].id, timing, text, ""]
    target.write_text("\n".join(lines), encoding="utf-8")


def encode(film: Film, target: Path) -> None:
    listing = film.folder / "frames.txt"
    entries = []
    for path, duration in film.frames:
        entries += [f"file '{path.name}'", f"duration {duration:.3f}"]
    entries.append(
        f"file '{film.frames[-1][0].name}'"
    )  # the concat demuxer drops the last duration
    listing.write_text("\n".join(entries) + "\n")
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "concat", "-safe", "0", "-i", str(listing),
        "-vf", f"fps={FPS},format=yuv420p",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "42", "-row-mt", "1",
        "-deadline", "good", "-cpu-used", "2", "-an",
        str(target),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=film.folder)  # noqa: S603 (fixed arguments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port for the portal (default: free)")
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    args = parser.parse_args()
    if not shutil.which("ffmpeg"):
        sandbox.fail(
            "ffmpeg is missing: the film is assembled with Debian's ffmpeg "
            "(sudo apt-get install -y ffmpeg), then run `make film` again."
        )
    out = sandbox.STATIC / "film"
    (out / "steps").mkdir(parents=True, exist_ok=True)
    with sandbox.demo() as demo, sandbox.browser() as browser:
        for language in args.language or LANGUAGES:
            # A copy of the seeded database per language: the demo code works once.
            with (
                sandbox.server(demo, f"film-{language}", args.port) as base,
                tempfile.TemporaryDirectory(prefix=f"film-{language}-") as folder,
            ):
                print(f"Playing the registration in {language} …", flush=True)
                film = play(browser, base, demo, language, Path(folder))
                encode(film, sandbox.STATIC / film_file(language, "webm"))
                # The poster is the film's first frame: the title card.
                first_frame = film.frames[0][0].read_bytes()
                sandbox.save_png(
                    first_frame, sandbox.STATIC / film_file(language, "png"), colours=96
                )
                write_vtt(film, sandbox.STATIC / film_file(language, "vtt"))
                print(
                    f"  {film_file(language, 'webm')}: {film.now:.1f} s, {len(film.frames)} frames"
                )
    for path in sorted(out.rglob("*")):
        if path.is_file():
            print(f"{path.stat().st_size:>9}  {path.relative_to(sandbox.ROOT)}")


if __name__ == "__main__":
    main()
