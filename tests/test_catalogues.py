"""The German catalogues are complete and sound.

The source strings are English and German is the portal's first language, so every string the
project's own code and templates mark for translation needs a German translation – otherwise a
German page shows English. The strings are extracted the way `make messages` does (Django's
makemessages, i.e. xgettext) from a temporary copy of the sources, so the checkout's catalogues
are never touched. The English catalogue is empty by design and is not checked here.

locale/ is the project's catalogue; locale_formal/ re-translates django-allauth in the formal
"Sie" and also carries the account e-mail templates' strings. Both are in LOCALE_PATHS, so a
string counts as translated when either has it.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import CI

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
FORMAL = ROOT / "locale_formal" / "de" / "LC_MESSAGES" / "django.po"
CATALOGUES = [CATALOGUE, FORMAL]

# What makemessages would look at besides the copy: not the virtualenv, data, assets, docs.
IGNORED = shutil.ignore_patterns(
    ".venv",
    "var",
    "node_modules",
    ".git",
    "static",
    "docs",
    "locale",
    "locale_formal",
    "benchmarks",
    "media",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "*.po",
)


def _require_gettext():
    missing = [
        tool for tool in ("msgfmt", "xgettext", "msguniq", "msgmerge") if not shutil.which(tool)
    ]
    if missing:
        if CI:
            pytest.fail(f"gettext tools missing in CI: {', '.join(missing)}")
        pytest.skip(f"gettext is not installed ({', '.join(missing)}; apt-get install gettext)")


# --- a small PO reader (no third-party dependency) ---------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def where(self):
        return self.references[0] if self.references else f"line {self.line}"


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    body = text[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def read_po(path):
    entries = []
    entry = Entry()
    target = None
    started = False

    def finish():
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,") and not obsolete:
            if started:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#:"):
            if started:
                finish()
            entry.references.extend(line[2:].split())
            continue
        if line.startswith(("#", "|")):
            continue
        keyword, _, rest = line.partition(" ")
        if started and (
            keyword == "msgctxt" or (keyword == "msgid" and (entry.msgid or entry.msgstr))
        ):
            finish()
        if not started:
            entry.line = number
            started = True
        entry.obsolete = entry.obsolete or obsolete
        if line.startswith('"'):
            value = _unquote(line)
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, kind, getattr(entry, kind) + value)
            continue
        if keyword.startswith("msgstr"):
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            index = int(match.group(1) or 0)
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, None)
    finish()
    return entries


def messages(path):
    return [entry for entry in read_po(path) if entry.msgid and not entry.obsolete]


# --- the strings the project uses ---------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The project's translatable strings, extracted by makemessages from a copy of the code."""
    _require_gettext()
    copy = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    (copy / "locale").mkdir()
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "de",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "scripts/*",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    assert fresh.exists(), result.stderr
    found = messages(fresh)
    assert len(found) > 100, "makemessages found suspiciously few strings"
    return found


# --- placeholders -------------------------------------------------------------------------

PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifFeEgGxXorc%]")
# Unmistakably a placeholder even without gettext's flag: "%(name)s", "%s", "%d", "%.2f".
CLEAR_PERCENT = re.compile(r"%(?:\([^)]+\))?\d*(?:\.\d+)?[sdif]\b|%\([^)]+\)[sdif]")
BRACE = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text):
    percent = sorted(p for p in PERCENT.findall(text) if p != "%%")
    brace = sorted(BRACE.findall(text))
    return percent, brace


def placeholder_problems(entry):
    """Placeholders that differ between msgid and msgstr. "%" and "{…}" only count as
    placeholders where gettext's flags or the English source say the string is formatted: in a
    plain text "10 % der" is just text."""
    sources = (entry.msgid, entry.msgid_plural or "")
    percent_format = "no-python-format" not in entry.flags and (
        "python-format" in entry.flags or any(CLEAR_PERCENT.search(text) for text in sources)
    )
    brace_format = "no-python-brace-format" not in entry.flags and (
        "python-brace-format" in entry.flags or any(placeholders(text)[1] for text in sources)
    )
    problems = []
    for index, translation in sorted(entry.msgstr.items()):
        if not translation:
            continue
        source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
        want_percent, want_brace = placeholders(source)
        got_percent, got_brace = placeholders(translation)
        if not percent_format:
            want_percent = got_percent = []
        if not brace_format:
            want_brace = got_brace = []
        if entry.msgid_plural is not None:
            # German may leave out the count in the singular ("eine Datei") – names must match.
            want_percent = sorted(set(want_percent) | set(placeholders(entry.msgid)[0]))
            if not set(got_percent) <= set(want_percent) or (
                {p for p in want_percent if "(" in p}
                - set(got_percent)
                - {"%(count)s", "%(counter)s"}
            ):
                problems.append((index, want_percent, got_percent))
        elif got_percent != want_percent:
            problems.append((index, want_percent, got_percent))
        if got_brace != want_brace:
            problems.append((index, want_brace, got_brace))
    return problems


def bundled_german(entry):
    """The German the running portal shows for an entry from Django's or allauth's catalogues."""
    from django.utils import translation

    with translation.override("de"):
        if entry.msgid_plural is not None:
            german = (
                translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if (entry.msgctxt)
                else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
        elif entry.msgctxt:
            german = translation.pgettext(entry.msgctxt, entry.msgid)
        else:
            german = translation.gettext(entry.msgid)
    return german if german != entry.msgid else None


# --- the checks ---------------------------------------------------------------------------


def test_every_string_the_project_uses_has_a_german_translation(extracted):
    translated = {}
    for path in CATALOGUES:
        for entry in messages(path):
            if entry.msgstr and all(entry.msgstr.values()) and "fuzzy" not in entry.flags:
                translated.setdefault(entry.key, entry)
    # Overridden admin/allauth templates reuse Django's and allauth's own strings; their bundled
    # German catalogues translate those (formally: see the check below).
    missing = [
        entry
        for entry in extracted
        if entry.key not in translated and bundled_german(entry) is None
    ]
    assert not missing, (
        f"{len(missing)} strings have no German translation in locale/de or locale_formal/de:\n"
        + "\n".join(
            f"  {entry.where}: msgctxt={entry.msgctxt!r} msgid={entry.msgid!r}"
            if entry.msgctxt
            else f"  {entry.where}: {entry.msgid!r}"
            for entry in missing
        )
    )


def test_plural_strings_have_both_german_forms(extracted):
    plurals = {entry.key for entry in extracted if entry.msgid_plural is not None}
    wrong = []
    for path in CATALOGUES:
        for entry in messages(path):
            if entry.key in plurals and (
                entry.msgid_plural is None or not (entry.msgstr.get(0) and entry.msgstr.get(1))
            ):
                wrong.append(f"  {path.relative_to(ROOT)}:{entry.line}: {entry.msgid!r}")
    assert not wrong, "plural strings need msgid_plural and msgstr[0]/[1]:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_fuzzy_empty_or_obsolete_entries(path):
    entries = [entry for entry in read_po(path) if entry.msgid]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    empty = [e for e in entries if not e.obsolete and not all(e.msgstr.values())]
    obsolete = [e for e in entries if e.obsolete]
    report = []
    for label, found in (("fuzzy", fuzzy), ("empty", empty), ("obsolete (#~)", obsolete)):
        report += [f"  {label} line {e.line}: {e.msgid!r}" for e in found]
    assert not report, f"{path.relative_to(ROOT)}:\n" + "\n".join(report)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_are_identical_in_msgid_and_msgstr(path):
    wrong = []
    for entry in messages(path):
        for index, want, got in placeholder_problems(entry):
            wrong.append(
                f"  line {entry.line} {entry.msgid!r} [{index}]: expected {want}, got {got}"
            )
    assert not wrong, f"{path.relative_to(ROOT)}: placeholders differ\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_compiles_and_the_committed_mo_is_current(path, tmp_path):
    _require_gettext()
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"{committed.relative_to(ROOT)} is missing (run msgfmt)"
    with compiled.open("rb") as fresh, committed.open("rb") as current:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog
        current_catalog = gettext.GNUTranslations(current)._catalog
    stale = sorted(str(key) for key in fresh_catalog.keys() ^ current_catalog.keys()) + sorted(
        str(key)
        for key in fresh_catalog.keys() & current_catalog.keys()
        if fresh_catalog[key] != current_catalog[key]
    )
    assert not stale, (
        f"{committed.relative_to(ROOT)} is out of date with its .po (run msgfmt --check -o); "
        f"differs in: {stale[:10]}"
    )


def test_bundled_translations_the_project_relies_on_are_formal(extracted):
    """Strings left to Django's or allauth's catalogues must not address the tenant as "du"."""
    ours = {entry.key for path in CATALOGUES for entry in messages(path)}
    informal = [
        f"  {entry.where}: {entry.msgid!r} -> {german!r}"
        for entry in extracted
        if entry.key not in ours and (german := bundled_german(entry)) and INFORMAL.search(german)
    ]
    assert not informal, "add formal translations to locale_formal/de:\n" + "\n".join(informal)


INFORMAL = re.compile(r"\b(?:du|Du|dich|Dich|dir|Dir|dein\w*|Dein\w*|deine\w*)\b")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_german_addresses_the_tenant_formally(path):
    informal = [
        f"  line {entry.line}: {text!r}"
        for entry in messages(path)
        for text in entry.msgstr.values()
        if INFORMAL.search(text)
    ]
    assert not informal, f"{path.relative_to(ROOT)} uses 'du' instead of 'Sie':\n" + "\n".join(
        informal
    )


def test_po_reader_understands_the_format(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)s file"\nmsgid_plural "%(n)s files"\n'
        'msgstr[0] "%(n)s Datei"\nmsgstr[1] "%(n)s Dateien"\n\n'
        '#, fuzzy\nmsgctxt "menu"\nmsgid ""\n"Open "\n"it"\nmsgstr "Öffnen"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n',
        encoding="utf-8",
    )
    header, plural, fuzzy, gone = read_po(sample)
    assert header.msgid == "" and plural.msgstr == {0: "%(n)s Datei", 1: "%(n)s Dateien"}
    assert plural.references == ["a.py:1"] and not placeholder_problems(plural)
    assert fuzzy.key == ("menu", "Open it") and "fuzzy" in fuzzy.flags
    assert gone.obsolete and gone.msgstr == {0: "Weg"}
    assert placeholder_problems(Entry(msgid="%(a)s and {b}", msgstr={0: "%(x)s und {b}"}))
    assert placeholder_problems(Entry(msgid="{count} files", msgstr={0: "{anzahl} Dateien"}))
    # Plain text: a "%" in German typography is not a placeholder.
    assert not placeholder_problems(Entry(msgid="10% of it", msgstr={0: "10 % davon"}))


# --- the word lists the browser journeys use (tests/language_words.py) ------------------------


def test_word_lists_find_german_on_english_pages_with_context():
    from .language_words import german_leaks

    leaks = german_leaks("Office hours: Mo–Do 9–16 Uhr. Your Vertrag is ready.")
    assert [leak.split("[")[1].split("]")[0] for leak in leaks] == ["Mo–Do", "Uhr", "Vertrag"]
    assert "Office hours: " in leaks[0]
    # Whole words only: "Sie" in "Siemens", "Mein" in "meinTHOR", "der" in "order" are fine.
    assert german_leaks("Siemens meters in order at meinTHOR, Elbchaussee 101.") == []
    # People, streets, the company and the demo tenant's own words stay as written.
    assert german_leaks("THOR Wohnungsbau eG · Wasserfleck unter der Spüle") == []


def test_word_lists_want_an_english_explanation_beside_a_german_legal_term():
    from .language_words import german_leaks

    assert german_leaks("Betriebskostenabrechnung 2025 (operating cost statement)") == []
    assert german_leaks("Landlord's confirmation (Wohnungsgeberbestätigung, § 19 BMG)") == []
    assert german_leaks("SEPA-Lastschriftmandat 1001-W01-01-M02 (SEPA direct debit mandate)") == []
    (problem,) = german_leaks("Heizkostenabrechnung 2025 · provided on 25 November 2026")
    assert problem.startswith("no English explanation") and "[Heizkostenabrechnung]" in problem


def test_word_lists_find_english_on_german_pages():
    from .language_words import english_leaks

    assert english_leaks("E-Mail-Adresse ändern · meinTHOR · SEPA-Mandat · IBAN · PDF") == []
    leaks = english_leaks("Email-Adresse ändern. Please Sign in to your contract.")
    found = [leak.split("[")[1].split("]")[0] for leak in leaks]
    assert found == ["Email", "Please", "Sign in", "to", "your", "contract"]


def test_word_lists_find_dates_and_amounts_written_the_other_way():
    from .language_words import date_leaks

    assert date_leaks("25 November 2026 · €1,234.56 · Miete 11/2026", "en") == []
    assert len(date_leaks("11/25/2026 · 25.11.2026 · 1.234,56 €", "en")) == 3
    assert date_leaks("25.11.2026 · 1.234,56 € · -83,50 €", "de") == []
    assert len(date_leaks("11/25/2026 · 25 November 2026 · €83.50", "de")) == 3


# --- e-mails: every template's own words in the language it is sent in ------------------------

EMAIL_TEMPLATES = sorted(
    str(path.relative_to(ROOT / "templates"))
    for pattern in ("emails/*.txt", "emails/*.html", "account/email/*.txt")
    for path in (ROOT / "templates").glob(pattern)
)


@pytest.mark.parametrize("language", ["en", "de"])
def test_email_templates_speak_one_language(language):
    """Rendered with placeholders for the data, an e-mail's fixed text is all in one language."""
    from django.template.loader import get_template
    from django.utils import translation

    from tenants.context_processors import branding

    from .language_words import english_leaks, german_leaks

    context = {"portal": branding(), "expire_days": 3, "report": {"ended": [1, 2]}}
    leaks = {}
    with translation.override(language):
        for name in EMAIL_TEMPLATES:
            text = re.sub(r"<[^>]+>", " ", get_template(name).render(context))
            found = german_leaks(text) if language == "en" else english_leaks(text)
            if found:
                leaks[name] = found
    assert EMAIL_TEMPLATES and not leaks, "\n".join(
        f"{name}:\n    " + "\n    ".join(found) for name, found in leaks.items()
    )


def test_the_english_catalogue_translates_nothing():
    """English is the source language: an English "translation" would only hide the source."""
    path = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    translated = [e.msgid for e in messages(path) if any(e.msgstr.values())]
    assert not translated, f"{path.relative_to(ROOT)} should stay empty: {translated[:10]}"


def test_every_legal_term_the_portal_explains_satisfies_the_journeys_check():
    """tenants.templatetags.glossary explains German document titles on English pages."""
    from tenants.templatetags.glossary import LEGAL_TERMS, legal_explanation

    from .language_words import german_leaks

    for term in LEGAL_TERMS:
        title = f"{term} 2025"
        note = legal_explanation(title, language="en")
        assert note and german_leaks(f"{title} ({note})") == [], term
        assert legal_explanation(title, language="de") == ""
    # Said already beside the title (the document's kind): not twice.
    assert (
        legal_explanation("Betriebskostenabrechnung 2025", "Operating cost statement", "en") == ""
    )
