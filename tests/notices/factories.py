from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from notices.models import Notice


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    kind = Notice.Kind.GENERAL
    title = factory.Sequence(lambda n: f"Aushang {n}")
    title_en = factory.Sequence(lambda n: f"Notice {n}")
    text = "Bitte beachten Sie den Aushang."
    text_en = "Please note this notice."
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    published_at = factory.LazyFunction(timezone.now)
