"""The request categories customer service started with; maintained in the admin afterwards.

Used by the data migration and by seed_demo (test databases that were flushed lose migration data).
"""

# (group, name, name_en, area, form, response working days)
CATEGORIES = [
    ("damage", "Heizung", "Heating", "technical", "damage", 1),
    ("damage", "Wasser/Sanitär", "Water/plumbing", "technical", "damage", 1),
    ("damage", "Elektrik", "Electrics", "technical", "damage", 2),
    ("damage", "Fenster/Türen", "Windows/doors", "technical", "damage", 3),
    ("damage", "Aufzug", "Lift", "technical", "damage", 1),
    ("damage", "Außenanlagen", "Outdoor areas", "technical", "damage", 5),
    ("damage", "Sonstiger Schaden", "Other damage", "technical", "damage", 3),
    ("rent", "Miete und Zahlung", "Rent and payment", "accounting", "plain", 5),
    (
        "statements",
        "Betriebs-/Heizkostenabrechnung",
        "Operating/heating cost statement",
        "accounting",
        "plain",
        10,
    ),
    ("documents", "Dokument anfordern", "Request a document", "customer_service", "document", 5),
    ("documents", "Mietbescheinigung", "Rent certificate", "customer_service", "plain", 5),
    (
        "address",
        "Änderung der Postanschrift",
        "Change of postal address",
        "customer_service",
        "address",
        5,
    ),
    ("general", "Allgemeine Anfrage", "General enquiry", "customer_service", "plain", 5),
    ("general", "Lob und Beschwerde", "Praise and complaints", "customer_service", "plain", 10),
]


def categories_ensure(category_model) -> int:
    """Create the missing default categories; returns how many were created."""
    created = 0
    for order, (group, name, name_en, area, form, days) in enumerate(CATEGORIES, start=1):
        _, was_created = category_model.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "group": group,
                "area": area,
                "form": form,
                "response_days": days,
                "order": order * 10,
            },
        )
        created += was_created
    return created
