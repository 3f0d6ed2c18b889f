"""The chart as Chromium shows it: text size on a phone and a desktop, the legend uncut."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The chart is an <img>: its SVG is drawn again inline at the width the page shows the image,
# and each text's font size times the drawing's scale is what the eye gets.
SMALLEST_TEXT = """async () => {
  const img = document.querySelector('.consumption-chart img');
  const shown = img.getBoundingClientRect().width;
  const holder = document.createElement('div');
  holder.innerHTML = (await (await fetch(img.currentSrc)).text()).replace(/<[?]xml[^>]*>/, '');
  document.body.append(holder);
  const svg = holder.querySelector('svg');
  svg.setAttribute('width', String(shown));
  svg.removeAttribute('height');
  const sizes = [...svg.querySelectorAll('text')]
    .filter((t) => t.textContent.trim() && t.getBBox().width > 0)
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  holder.remove();
  return {size: new URL(img.currentSrc).searchParams.get('size'), shown, texts: sizes.length,
          smallest: Math.min(...sizes), largest: Math.max(...sizes)};
}"""


@pytest.mark.parametrize(
    ("width", "height", "size"),
    [(360, 740, "s"), (390, 844, "s"), (640, 900, "m"), (992, 900, "l"), (1280, 900, "l")],
)
def test_chart_text_is_readable_on_a_phone_and_not_huge_on_a_desktop(
    browser,
    live_server,
    width,
    height,
    size,
):
    call_command("seed_demo", verbosity=0)
    # The measurement draws the SVG inline; its own <style> must not meet the page's CSP.
    context = browser.new_context(
        locale="de-DE", viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/konto/login/")
        page.get_by_label("E-Mail-Adresse").fill("mieterin@example.com")
        page.get_by_label("Passwort").fill("Demo-Passwort-2026!")
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.goto(f"{live_server.url}/verbraeuche/")
        page.wait_for_function(
            "() => { const i = document.querySelector('.consumption-chart img');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )

        measured = page.evaluate(SMALLEST_TEXT)

        assert measured["size"] == size and measured["texts"] >= 6
        assert measured["smallest"] >= 12 and measured["largest"] <= 16, measured
        legend = page.locator(".chart-legend li").all_inner_texts()
        assert legend == ["Verbrauch", "Gleicher Monat im Vorjahr"]
        fits = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(fits)
        page.get_by_text("Die Zahlen als Tabelle").click()
        assert page.evaluate(fits)  # four columns still fit the phone
    finally:
        context.close()
