"""The explainer film on the help page: the page offers the film that `make film` wrote, and the
written transcript and the caption files say what tenants/film.py says, step for step."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from tenants.film import LANGUAGES, SCREEN_HEIGHT, SCREEN_WIDTH, STEPS, film_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_active_language():
    """A request in English leaves English active in this thread; later tests expect German."""
    language = translation.get_language()
    yield
    translation.activate(language)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str, name: str) -> list[dict]:
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


def _static_file(url: str) -> str:
    """The file in static/ behind a /static/ URL the page links to; fails if there is none."""
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is not in static/ (run `make film`)"
    return found


def _help_page(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("tenants:help"))
    assert response.status_code == 200
    return response.content.decode()


def _vtt_cues(language: str) -> list[tuple[str, float, float, str]]:
    """(id, start, end, text) of every cue in the language's caption file."""
    with open(finders.find(film_file(language, "vtt")), encoding="utf-8") as captions:
        text = captions.read()
    assert text.startswith("WEBVTT")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        cue_id, timing, *caption = lines
        start, end = re.findall(r"(\d+):(\d\d):(\d\d)\.(\d{3})", timing)
        seconds = [
            int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in (start, end)
        ]
        cues.append((cue_id, *seconds, " ".join(caption)))
    return cues


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_page_plays_the_film_in_the_pages_language_from_static(client, language):
    html = _help_page(client, language)

    (video,) = _tags(html, "video")
    assert "controls" in video
    assert video["preload"] == "none"
    _static_file(video["poster"])
    (source,) = _tags(html, "source")
    assert source["src"] == static(film_file(language, "webm"))
    assert source["type"] == "video/webm"
    _static_file(source["src"])
    (track,) = _tags(html, "track")
    assert track["kind"] == "captions"
    assert track["srclang"] == language
    assert "default" in track
    assert track["src"] == static(film_file(language, "vtt"))
    _static_file(track["src"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_page_transcript_shows_every_steps_caption_and_screenshot(client, language):
    html = _help_page(client, language)
    images = {image["src"]: image for image in _tags(html, "img")}

    for step in STEPS:
        caption = step.caption(language)
        assert caption in unescape(html)
        image = images[static(step.screenshot(language))]
        _static_file(image["src"])
        assert image["alt"] == caption
        assert image["loading"] == "lazy"
        assert (image["width"], image["height"]) == (str(SCREEN_WIDTH), str(SCREEN_HEIGHT))
    other = "en" if language == "de" else "de"
    assert STEPS[0].caption(other) not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_caption_files_have_one_cue_per_step_with_its_caption(language):
    cues = _vtt_cues(language)

    assert [(cue_id, text) for cue_id, _, _, text in cues] == [
        (step.id, step.caption(language)) for step in STEPS
    ]
    previous_end = 0.0
    for _, start, end, _ in cues:
        assert start >= previous_end
        assert end - start >= 3, "every caption stays long enough to be read"
        previous_end = end


@pytest.mark.parametrize("language", LANGUAGES)
def test_film_stays_small(language):
    path = finders.find(film_file(language, "webm"))
    with open(path, "rb") as film:
        size = len(film.read())
    assert 10_000 < size < 2_000_000
