"""Words that give away a page in the wrong language, and the terms allowed to stay.

Used by the browser journeys (tests/browser/test_language_journeys.py): an English page must not
show German words, a German page no English ones. Words are matched as whole words and
case-sensitively (German nouns are capitalised; "Sie" is the formal "you", "sie" is not checked).
Text inside an element marked with another `lang` (the language switch "Deutsch"/"English") is
not checked – that is how a page says "this part is in another language".
"""

import re

# --- German on English pages ---------------------------------------------------------------

GERMAN_WORDS = [
    # function words
    "und", "oder", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
    "einer", "Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres", "nicht", "kein",
    "keine", "bitte", "Bitte", "mit", "für", "Für", "von", "vom", "zum", "zur", "bei", "nach",
    "über", "ist", "sind", "wird", "werden", "wurde", "haben", "hat", "können", "Können", "auch",
    "noch", "nur", "jetzt", "hier", "Hier", "oben", "unten", "alle", "Alle", "neu", "Neu",
    "neue", "Neue", "neues", "Neues", "wie", "Wie", "Was", "wann", "Wann",
    # portal words
    "Vertrag", "Verträge", "Meine", "Mein", "Wohnung", "Wohnungen", "Stellplatz", "Anliegen",
    "Verbrauch", "Verbräuche", "Heizung", "Warmwasser", "Kaltwasser", "Wasser", "Strom",
    "Dokumente", "Dokument", "Formulare", "Formular", "Kontakt", "Hilfe", "Datenschutz",
    "Nutzungsbedingungen", "Impressum", "Profil", "Startseite", "Übersicht", "Anmelden",
    "Abmelden", "Anmeldung", "Registrieren", "Passwort", "Speichern", "Senden", "Absenden",
    "Abbrechen", "Zurück", "Weiter", "Ändern", "ändern", "Herunterladen", "Öffnen", "Löschen",
    "Bankverbindung", "Kontoinhaber", "Kontoinhaberin", "Miete", "Mietkonto", "Kaltmiete",
    "Nebenkosten", "Vorauszahlung", "Mieter", "Mieterin", "Vermieter", "Ansprechpartner",
    "Ansprechpartnerin", "Sprechzeiten", "Nachricht", "Betreff", "Kategorie", "Antwort",
    "Eingegangen", "Erledigt", "Bearbeitung", "Zählerstand", "Zähler", "Abrechnung", "Jahr",
    "Monat", "Vorjahr", "Straße", "Telefon", "Notdienst", "Rohrbruch", "Fragen", "Anhang",
    "Fotos", "Datei", "Dateien", "Uhr", "Mo–Do", "Mo–Fr", "Mo-Do", "Mo-Fr", "Sprache",
    "Antrag", "Bescheinigung", "Schaden", "Zahlung", "Guthaben", "Nachzahlung", "Offen",
    "Gesamtmiete", "Grundmiete", "Sollstellung", "Kündigung", "Einzug", "Auszug", "Sonstiges",
    "Untervermietung", "Tierhaltung", "Erfolgreich", "angemeldet", "Willkommen", "Zugang",
    "Schnellzugriff", "Ansprechpartner/innen", "Mieter/in", "Kontoinhaber/in", "Vertragsnr",
    "Gültig", "Wohnfläche", "Mietbeginn", "Mieternummer", "Postleitzahl", "Ort", "Land",
    "Hausnummer", "Verlauf", "Nummer", "Schließen", "Erklärfilm", "Schritt", "Seite",
    # months and days
    "Januar", "Februar", "März", "Juni", "Juli", "Oktober", "Dezember", "Montag", "Dienstag",
    "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag",
]  # fmt: skip

# Legal terms that stay German on English pages – each needs an English explanation beside it
# (within EXPLANATION_DISTANCE characters of the term, before or after).
LEGAL_TERMS = {
    "Wohnungsgeberbestätigung": (
        r"landlord['’]?s? confirmation|confirmation (?:by|from) the landlord"
    ),
    "Betriebskostenabrechnung": (
        r"service charges?|operating costs?|utility (?:costs?|bill)"
    ),
    "Heizkostenabrechnung": r"heating(?: cost)?(?: bill| statement| costs?)",
    "SEPA-Lastschriftmandat": r"direct debit",
    "Lastschriftmandat": r"direct debit",
    "Mietbescheinigung": r"rent(?:al)? (?:certificate|confirmation)|confirmation of rent",
}  # fmt: skip
EXPLANATION_DISTANCE = 160

# Names and data that stay as they are in every language: people, streets, the company, and the
# demo data a tenant or clerk wrote themselves (their words are not translated).
GERMAN_ALLOWED_PHRASES = [
    "THOR Wohnungsbau eG",
    "Wohnungsbau eG",
    "Elbchaussee",
    "Team Kundenservice",
    "Team Mietenbuchhaltung",
    "Team Technik",
    "Kundenservice",
    "Mietenbuchhaltung",
    # banks are named as the Bundesbank's directory names them
    "Postbank Ndl der Deutsche Bank",
    # demo requests and answers written by the demo tenant and clerks (user content)
    "Wasserfleck unter der Spüle",
    "Unter der Küchenspüle ist seit gestern eine Pfütze, der Schrank ist feucht.",
    "Küche, unter der Spüle",
    "seit gestern",
    "Danke für das Foto. Der Installateur kommt morgen zwischen 8 und 12 Uhr.",
    "Firma Klempner-Nord beauftragt, Auftrag 4711.",
    "Ich brauche eine Mietbescheinigung für das Jobcenter.",
    "Die Bescheinigung ist unterwegs per Post.",
    "Wann wird das Treppenhaus gestrichen?",
    "Dauerauftrag",
]

# Texts from the accounting system (posting texts such as "Miete 11/2026") stay as booked.
GERMAN_ALLOWED_PATTERNS = [
    re.compile(r"\bMiete \d{2}/\d{4}\b"),
]

# --- English on German pages ---------------------------------------------------------------

ENGLISH_WORDS = [
    "the", "The", "and", "And", "or", "your", "Your", "you", "You", "please", "Please", "of",
    "to", "for", "For", "with", "is", "are", "this", "This", "that", "from", "not", "here",
    "contract", "contracts", "Contract", "Contracts", "request", "requests", "Request",
    "Requests", "Sign in", "Sign In", "Sign out", "Log in", "Log out", "Email", "email",
    "Password", "password", "Submit", "Save", "Cancel", "Back", "Next", "Send", "Download",
    "Open", "Change", "Delete", "Contact", "Documents", "Document", "Forms", "Consumption",
    "Profile", "Help", "Privacy", "Terms", "Home", "Overview", "Settings", "Language",
    "Bank details", "Account holder", "Rent", "Flat", "Apartment", "Parking space", "Meter",
    "Heating", "Hot water", "Cold water", "Message", "Subject", "Category", "Answer", "Received",
    "Done", "Year", "Month", "Phone", "Emergency", "Questions", "Attachment", "Photos", "File",
    "Files", "Tenant", "Landlord", "Office hours", "Street",
    "Welcome", "Quick actions", "Report", "new", "open", "done", "since", "until", "monthly",
    "Total", "Balance", "Credit", "Debit", "Postings", "Step", "Show", "all", "All", "Thank",
    "Thanks", "Sorry", "Error", "required", "optional", "Remove", "Choose", "Select", "Search",
    "Close", "More", "more", "less", "than", "last", "month", "year", "week", "day", "days",
    "today", "Today", "Yesterday", "hours", "We", "we", "our", "Our", "us", "has", "have",
    "will", "can", "be", "by", "at", "on", "it", "my", "My", "Yes", "No",
    "January", "February", "March", "May", "June", "July", "October", "December", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed",
    "Thu", "Fri", "Sat", "Sun",
]  # fmt: skip

# Brand, technical terms and names that are the same in German.
ENGLISH_ALLOWED_PHRASES = [
    "meinTHOR",
    "SEPA",
    "IBAN",
    "BIC",
    "E-Mail",
    "PDF",
    "CSV",
    "Team Kundenservice",
    "Team Mietenbuchhaltung",
    "Team Technik",
    "Jobcenter",
]

# --- dates and amounts ---------------------------------------------------------------------

US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
GERMAN_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
# German puts the euro sign after the amount (1.234,56 €), English before it (€1,234.56).
GERMAN_AMOUNT = re.compile(r"\d[ \u00a0\u202f]?€")
ENGLISH_AMOUNT = re.compile(r"€[ \u00a0\u202f]?-?\d")
ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
ENGLISH_DATE = re.compile(rf"\b\d{{1,2}} (?:{ENGLISH_MONTHS}) \d{{4}}\b")


def _pattern(words, hyphen_ends_word=False):
    alternatives = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
    # Letters (with umlauts), digits and hyphens join words: "meinTHOR", "SEPA-Lastschriftmandat".
    # In German compounds an English word can still stand first: "Email-Adresse" is a leak.
    after = r"(?!\w)" if hyphen_ends_word else r"(?![\w-])"
    return re.compile(rf"(?<![\w-])(?:{alternatives}){after}")


GERMAN_PATTERN = _pattern(GERMAN_WORDS)
ENGLISH_PATTERN = _pattern(ENGLISH_WORDS, hyphen_ends_word=True)
LEGAL_PATTERN = _pattern(LEGAL_TERMS)


def _blank(text, phrases, patterns=()):
    """The text with allowed phrases replaced by spaces (positions stay the same)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, " " * len(phrase))
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _context(text, start, end, width=40):
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"…{before}[{text[start:end]}]{after}…"


def german_leaks(text, extra_allowed=()):
    """German words on an English page, each with its context."""
    checked = _blank(text, [*GERMAN_ALLOWED_PHRASES, *extra_allowed], GERMAN_ALLOWED_PATTERNS)
    return [
        _context(text, m.start(), m.end()) for m in GERMAN_PATTERN.finditer(checked)
    ] + unexplained_legal_terms(text)


def unexplained_legal_terms(text):
    """Allowed German legal terms on an English page without an English explanation beside them."""
    problems = []
    for match in LEGAL_PATTERN.finditer(text):
        explanation = re.compile(LEGAL_TERMS[match.group(0)], re.IGNORECASE)
        start = max(0, match.start() - EXPLANATION_DISTANCE)
        near = text[start : match.end() + EXPLANATION_DISTANCE]
        if not explanation.search(near):
            problems.append(
                "no English explanation beside " + _context(text, match.start(), match.end())
            )
    return problems


def english_leaks(text, extra_allowed=()):
    """English words on a German page, each with its context."""
    checked = _blank(text, [*ENGLISH_ALLOWED_PHRASES, *extra_allowed])
    return [_context(text, m.start(), m.end()) for m in ENGLISH_PATTERN.finditer(checked)]


def date_leaks(text, language):
    """Dates and amounts written the other language's way (US dates are wrong in both)."""
    wrong = [US_DATE]
    if language == "en":
        wrong += [GERMAN_DATE, GERMAN_AMOUNT]
    else:
        wrong += [ENGLISH_DATE, ENGLISH_AMOUNT]
    return [_context(text, m.start(), m.end()) for p in wrong for m in p.finditer(text)]
