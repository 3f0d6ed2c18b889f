"""The explainer film's registration journey: one definition for the film and its transcript.

`scripts/film.py` plays these steps in a browser and writes the film, its captions (WebVTT) and
one key screenshot per step; the help page (/hilfe/) prints the same captions and screenshots as
the written transcript. Both read this module, so the film and the transcript cannot differ.

The captions carry both languages here rather than going through the translation catalogue: the
film script needs the German and the English text in one run, whatever language is active, and
the tests compare the caption files with exactly these texts.

This module imports nothing from Django, so the film script can read it before Django starts.
Values in `fill` may name a placeholder the film script fills in at run time ({code},
{last_name}, {email}, {password}, {confirmation_code}).
"""

from dataclasses import dataclass, field

FILM_DIR = "film"  # below static/
FILM_NAME = "registrierung"
# The title card the film opens with (also its poster); the help page's heading says the same.
TITLE = {"de": "So funktioniert die Anmeldung", "en": "How registration works"}
LANGUAGES = ("de", "en")
# The film plays on a phone; its frames and the key screenshots have this size (CSS pixels).
SCREEN_WIDTH = 390
SCREEN_HEIGHT = 844


@dataclass(frozen=True)
class Step:
    id: str
    caption_de: str
    caption_en: str
    # The page the step starts on; empty when the previous step's submit leads there.
    url: str = ""
    # Field selector -> value, typed one after the other (a value may be a placeholder).
    fill: dict[str, str] = field(default_factory=dict)
    # Check boxes to tick, in this order.
    check: tuple[str, ...] = ()
    # What leads to the next step (clicked after the key screenshot); empty on the last step.
    click: str = ""

    def caption(self, language: str) -> str:
        return self.caption_en if language == "en" else self.caption_de

    def screenshot(self, language: str) -> str:
        """The key screenshot's path below static/."""
        return f"{FILM_DIR}/steps/{self.id}-{language}.png"


STEPS: tuple[Step, ...] = (
    Step(
        id="letter",
        caption_de=(
            "Sie haben Post von uns: Im Brief steht Ihr persönlicher Registrierungscode. "
            "Öffnen Sie die Seite „Registrieren“."
        ),
        caption_en=("Our letter brings your personal registration code. Open the “Register” page."),
        url="/registrieren/",
    ),
    Step(
        id="code",
        caption_de="Geben Sie den Code und Ihren Nachnamen genau wie im Brief ein.",
        caption_en="Enter the code and your last name exactly as in the letter.",
        fill={"#id_code": "{code}", "#id_last_name": "{last_name}"},
        click="main button[type=submit]",
    ),
    Step(
        id="account",
        caption_de=(
            "Wählen Sie Ihre E-Mail-Adresse, ein sicheres Passwort und Ihre Sprache. "
            "Stimmen Sie den Nutzungsbedingungen zu."
        ),
        caption_en=(
            "Choose your e-mail address, a strong password and your language. "
            "Accept the terms of use."
        ),
        fill={
            "#id_email": "{email}",
            "#id_password1": "{password}",
            "#id_password2": "{password}",
        },
        check=("#id_accept_terms",),
        click="main button[type=submit]",
    ),
    Step(
        id="confirm",
        caption_de=(
            "Wir schicken Ihnen eine E-Mail mit einem sechsstelligen Code. Tippen Sie ihn hier ein."
        ),
        caption_en="We send you an e-mail with a six-digit code. Type it in here.",
        fill={"#id_confirmation_code": "{confirmation_code}"},
        click="main button[type=submit]",
    ),
    Step(
        id="welcome",
        caption_de=(
            "Fertig! Verträge, Dokumente, Verbräuche und Ihr Kontakt zu uns – alles an einem Ort."
        ),
        caption_en=(
            "Done! Contracts, documents, consumption and your contact with us – all in one place."
        ),
    ),
)


def film_file(language: str, extension: str) -> str:
    """A film file's path below static/, e.g. film/registrierung-de.webm."""
    return f"{FILM_DIR}/{FILM_NAME}-{language}.{extension}"


def film_page(language: str) -> dict:
    """What the help page shows: the film in the page's language and its written transcript."""
    if language not in LANGUAGES:
        language = LANGUAGES[0]
    return {
        "language": language,
        "video": film_file(language, "webm"),
        "poster": film_file(language, "png"),
        "captions": film_file(language, "vtt"),
        "width": SCREEN_WIDTH,
        "height": SCREEN_HEIGHT,
        "steps": [
            {
                "id": step.id,
                "caption": step.caption(language),
                "screenshot": step.screenshot(language),
            }
            for step in STEPS
        ],
    }
