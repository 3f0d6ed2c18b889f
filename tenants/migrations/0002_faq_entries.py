"""The help page's first questions, rewritten from the company's FAQ for this portal.

Customer service maintains them in the admin from here on.
"""

from django.db import migrations

TOPICS_EN = {
    "Registrierung": "Registration",
    "Anmeldung": "Signing in",
    "Verträge und Zahlungen": "Contracts and payments",
    "Dokumente": "Documents",
    "Verbrauch": "Consumption",
    "Schäden und Notfälle": "Damage and emergencies",
    "Persönliche Daten": "Personal data",
}

FAQ = [
    (
        "Registrierung",
        "Wie registriere ich mich im Portal?",
        "Sie haben von uns einen Brief mit Ihrem persönlichen Registrierungscode erhalten. "
        "Geben Sie unter „Registrieren“ den Code und Ihren Nachnamen so ein, wie er im Adressfeld "
        "des Briefes steht. Groß- und Kleinschreibung, Leerzeichen und Bindestriche spielen dabei "
        "keine Rolle. Danach wählen Sie Ihre E-Mail-Adresse und ein Passwort und bestätigen die "
        "E-Mail-Adresse über den Link oder den Code, den wir Ihnen schicken.",
        "How do I register for the portal?",
        "We have sent you a letter with your personal registration code. Under “Register”, enter "
        "the code and your last name as printed in the letter's address field. Upper and lower "
        "case, spaces and hyphens do not matter. Then choose your e-mail address and a password "
        "and confirm the e-mail address with the link or code we send you.",
    ),
    (
        "Registrierung",
        "Ich habe meinen Registrierungscode verloren. Was nun?",
        "Schreiben Sie uns an die Support-Adresse oder rufen Sie uns an. Wir schicken Ihnen per "
        "Post einen neuen Code. Sobald der neue Brief unterwegs ist, gilt nur noch der neue Code.",
        "I have lost my registration code. What now?",
        "Write to the support address or call us. We will post you a new code. Once the new "
        "letter is on its way, only the new code works.",
    ),
    (
        "Anmeldung",
        "Ich habe mein Passwort vergessen.",
        "Klicken Sie bei der Anmeldung auf „Passwort vergessen?“ und geben Sie Ihre "
        "E-Mail-Adresse ein. Sie erhalten eine E-Mail, mit der Sie ein neues Passwort festlegen "
        "können. Kommt keine E-Mail an, sehen Sie bitte auch im Spam-Ordner nach.",
        "I have forgotten my password.",
        "Click “Forgot your password?” on the sign-in page and enter your e-mail address. You "
        "will receive an e-mail with which you can set a new password. If no e-mail arrives, "
        "please check your spam folder too.",
    ),
    (
        "Anmeldung",
        "Mein Zugang ist gesperrt, nachdem ich mich mehrmals vertippt habe.",
        "Zu Ihrem Schutz sperren wir die Anmeldung nach mehreren falschen Versuchen für einige "
        "Minuten. Warten Sie kurz und versuchen Sie es erneut, oder setzen Sie Ihr Passwort "
        "zurück.",
        "My access is blocked after several typing mistakes.",
        "For your protection we block sign-in for a few minutes after several wrong attempts. "
        "Wait a moment and try again, or reset your password.",
    ),
    (
        "Verträge und Zahlungen",
        "Wie ändere ich meine Bankverbindung?",
        "Unter „Meine Verträge“ können Sie für jeden Vertrag eine neue Bankverbindung angeben und "
        "ein neues SEPA-Lastschriftmandat erteilen. Die Bearbeitung dauert bis zu 10 Werktage. "
        "Geht Ihr Auftrag nach dem 20. eines Monats ein (im Dezember nach dem 15.), gilt die "
        "Änderung ab dem Folgemonat.",
        "How do I change my bank details?",
        "Under “My contracts” you can give new bank details for each contract and grant a new "
        "SEPA direct debit mandate. Processing takes up to 10 working days. If your request "
        "arrives after the 20th of a month (in December after the 15th), the change takes "
        "effect the following month.",
    ),
    (
        "Dokumente",
        "Wo finde ich meine Betriebskostenabrechnung?",
        "Abrechnungen, Schreiben und Bescheinigungen stellen wir unter „Meine Dokumente“ bereit. "
        "Sie erhalten eine E-Mail, sobald ein neues Dokument für Sie da ist. Ältere Dokumente "
        "können Sie über „Kontakt“ anfordern.",
        "Where can I find my operating cost statement?",
        "We provide statements, letters and certificates under “My documents”. You receive an "
        "e-mail as soon as a new document is there for you. You can request older documents "
        "through “Contact”.",
    ),
    (
        "Verbrauch",
        "Warum sehe ich unter „Meine Verbräuche“ keine Werte?",
        "Monatliche Verbrauchswerte gibt es nur für Wohnungen mit fernauslesbaren Zählern. Die "
        "Werte des Vormonats stehen in der Regel bis Mitte des Folgemonats bereit.",
        "Why do I see no values under “My consumption”?",
        "Monthly consumption is available only for flats with remotely readable meters. Last "
        "month's values are usually available by the middle of the following month.",
    ),
    (
        "Schäden und Notfälle",
        "Wie melde ich einen Schaden?",
        "Unter „Kontakt“ wählen Sie „Schadensmeldung“ und die passende Kategorie. Fotos helfen "
        "uns, den Schaden schnell einzuschätzen. Ihre Meldung geht direkt an die zuständige "
        "Technik-Sachbearbeitung.",
        "How do I report damage?",
        "Under “Contact”, choose “Damage report” and the matching category. Photos help us to "
        "assess the damage quickly. Your report goes straight to the responsible technical clerk.",
    ),
    (
        "Schäden und Notfälle",
        "Was tue ich bei einem Notfall außerhalb der Geschäftszeiten?",
        "Bei dringenden technischen Notfällen wie Wasserrohrbruch, Heizungsausfall im Winter, "
        "Stromausfall oder Gasgeruch rufen Sie bitte sofort unseren Notdienst an: 040-61 32 32. "
        "Bei Gasgeruch verlassen Sie die Wohnung und rufen Sie zusätzlich die 112.",
        "What do I do in an emergency outside business hours?",
        "For urgent technical emergencies such as a burst pipe, heating failure in winter, power "
        "failure or a smell of gas, please call our emergency service at once: 040-61 32 32. If "
        "you smell gas, leave the flat and also call 112.",
    ),
    (
        "Persönliche Daten",
        "Wie ändere ich Telefonnummer, E-Mail-Adresse oder Postanschrift?",
        "Telefonnummer und E-Mail-Adresse ändern Sie selbst in Ihrem persönlichen Bereich (oben "
        "rechts auf Ihren Namen klicken). Eine neue Postanschrift teilen Sie uns bitte über "
        "„Kontakt“ mit.",
        "How do I change my phone number, e-mail address or postal address?",
        "You change your phone number and e-mail address yourself in your personal area (click "
        "your name at the top right). Please tell us a new postal address through “Contact”.",
    ),
    (
        "Persönliche Daten",
        "Bekomme ich weiterhin Post auf Papier?",
        "Ja, solange Sie der papierlosen Zustellung nicht zugestimmt haben. Ihre Zustimmung "
        "können Sie jederzeit in Ihrem persönlichen Bereich erteilen oder widerrufen.",
        "Will I still receive letters on paper?",
        "Yes, as long as you have not agreed to paperless delivery. You can give or withdraw "
        "your consent at any time in your personal area.",
    ),
]


def add_faq(apps, schema_editor):
    FaqEntry = apps.get_model("tenants", "FaqEntry")
    for order, (topic, question, answer, question_en, answer_en) in enumerate(
        FAQ, start=1
    ):
        FaqEntry.objects.get_or_create(
            question=question,
            defaults={
                "topic": topic,
                "topic_en": TOPICS_EN[topic],
                "answer": answer,
                "question_en": question_en,
                "answer_en": answer_en,
                "order": order * 10,
            },
        )


def remove_faq(apps, schema_editor):
    FaqEntry = apps.get_model("tenants", "FaqEntry")
    FaqEntry.objects.filter(question__in=[row[1] for row in FAQ]).delete()


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [migrations.RunPython(add_faq, remove_faq)]
