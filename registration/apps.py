from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from tenants.models import Area
        from tenants.registry import DemoSeeder, register_demo_seeder, register_job_kind
        from tenants.roles import grant_to_group

        from .demo import seed_registration
        from .jobs import LETTERS_JOB

        grant_to_group(
            Area.CUSTOMER_SERVICE,
            "registration.view_registrationcode",
            "registration.view_letterbatch",
            "registration.issue_letters",
        )
        register_demo_seeder(DemoSeeder("registration", seed_registration, order=30))
        register_job_kind(LETTERS_JOB)

        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_finish_registration, dispatch_uid="registration_finish")


def _finish_registration(sender, request, email_address, **kwargs):
    # allauth has confirmed an address; the service decides whether a registration waits on it.
    from .services import registration_complete_for_address

    registration_complete_for_address(address=email_address, request=request)
