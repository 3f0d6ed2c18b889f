"""Demo notices for `manage.py seed_demo`: an urgent lift notice for one property, one for all."""

from datetime import timedelta

from django.utils import timezone

from tenants.models import Property, User

from .models import Notice
from .services import notice_save

LIFT = "Aufzug außer Betrieb"
MAINTENANCE = "Wartung der Rauchwarnmelder"


def seed_notices(stdout) -> None:
    clerk = User.objects.filter(email="technik@example.com").first()
    home = Property.objects.filter(number="1001").first()
    if clerk is None or home is None:
        return
    today = timezone.localdate()
    if not Notice.objects.filter(title=LIFT).exists():
        notice_save(
            notice=Notice(
                property=home,
                kind=Notice.Kind.OUTAGE,
                urgent=True,
                title=LIFT,
                title_en="Lift out of service",
                text=(
                    "Der Aufzug ist wegen eines Defekts an der Steuerung außer Betrieb. Die "
                    "Fachfirma ist beauftragt; wir rechnen mit der Reparatur bis Freitag. Wenn Sie "
                    "Hilfe beim Tragen brauchen, melden Sie sich bitte über „Kontakt“."
                ),
                text_en=(
                    "The lift is out of service because its controls are faulty. A specialist "
                    "firm is on it; we expect the repair by Friday. If you need help carrying "
                    "things, please tell us through “Contact”."
                ),
                valid_from=today,
                valid_until=today + timedelta(days=5),
            ),
            by=clerk,
        )
    if not Notice.objects.filter(title=MAINTENANCE).exists():
        notice_save(
            notice=Notice(
                property=None,
                kind=Notice.Kind.MAINTENANCE,
                title=MAINTENANCE,
                title_en="Smoke alarm maintenance",
                text=(
                    "In den nächsten Wochen prüft die Firma Brandschutz-Nord die Rauchwarnmelder "
                    "in allen Wohnungen. Den Termin für Ihr Haus hängen wir eine Woche vorher aus."
                ),
                text_en=(
                    "Over the coming weeks, Brandschutz-Nord checks the smoke alarms in every "
                    "flat. We post the date for your building a week in advance."
                ),
                valid_from=today,
                valid_until=today + timedelta(days=30),
            ),
            by=clerk,
        )
    stdout.write(f"Notices: {Notice.objects.count()}")
