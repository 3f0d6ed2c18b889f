"""`make screenshots`: the README's pictures in docs/screenshots/, from a fresh demo portal.

Usage: python scripts/screenshots.py [--port N] [--language de|en]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import sandbox

OUT = sandbox.ROOT / "docs" / "screenshots"
TENANT = "mieterin@example.com"
CLERK = "technik@example.com"


def shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    target = OUT / f"{name}.png"
    sandbox.save_png(page.screenshot(), target)
    print(f"{target.stat().st_size:>9}  {target.relative_to(sandbox.ROOT)}")


def tenant_pages(browser, base: str, language: str) -> None:
    for name, viewport in (("start-phone", sandbox.PHONE), ("start-desktop", sandbox.DESKTOP)):
        context = sandbox.new_context(browser, base, language=language, viewport=viewport)
        page = context.new_page()
        sandbox.login(page, base, TENANT)
        page.goto(f"{base}/")
        shoot(page, name)
        if name == "start-desktop":
            page.goto(f"{base}/kontakt/")
            shoot(page, "kontakt")
            page.goto(f"{base}/verbraeuche/")
            shoot(page, "verbraeuche")
        context.close()


def clerk_page(browser, base: str, language: str) -> None:
    context = sandbox.new_context(browser, base, language=language, viewport=sandbox.DESKTOP)
    page = context.new_page()
    sandbox.login(page, base, CLERK)
    page.goto(f"{base}/admin/requests/contactrequest/")
    link = page.locator("#result_list tbody a[href*='/change/']").first
    if not link.count():
        sandbox.fail(f"{CLERK} sees no Kontakt request in the admin")
    link.click()
    shoot(page, "sachbearbeitung-anfrage")
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port for the portal (default: free)")
    parser.add_argument("--language", choices=("de", "en"), default="de")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        sandbox.demo() as demo,
        sandbox.browser() as browser,
        sandbox.server(demo, "screenshots", args.port) as base,
    ):
        tenant_pages(browser, base, args.language)
        clerk_page(browser, base, args.language)


if __name__ == "__main__":
    main()
