import builtins
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedCharField


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The e-mail is the user name; users type it in any case, so it is stored lower-case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Tenants and clerks alike; a tenant's user is linked from Tenant.user."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("Language of the pages after login and of every e-mail to this user."),
    )
    notify_new_device = models.BooleanField(
        _("e-mail on sign-in from a new device"),
        default=True,
        help_text=_(
            "Tell the account by e-mail when it is signed in from a device not seen before."
        ),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Area(models.TextChoices):
    """The three areas of the housing company a tenant's concern can belong to."""

    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    ACCOUNTING = "accounting", _("Accounting")
    TECHNICAL = "technical", _("Technical property management")


class Property(models.Model):
    """Wirtschaftseinheit: one or more buildings managed as one."""

    number = models.CharField(_("property number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Unit(models.Model):
    class Kind(models.TextChoices):
        FLAT = "flat", _("Flat")
        PARKING = "parking", _("Parking space")
        COMMERCIAL = "commercial", _("Commercial unit")

    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="units", verbose_name=_("property")
    )
    number = models.CharField(_("unit number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FLAT)
    street = models.CharField(
        _("street and number"),
        max_length=200,
        blank=True,
        help_text=_("Only if it differs from the property's address."),
    )
    location = models.CharField(
        _("location"), max_length=100, blank=True, help_text=_("e.g. 2nd floor left")
    )
    rooms = models.DecimalField(_("rooms"), max_digits=3, decimal_places=1, null=True, blank=True)
    living_area = models.DecimalField(
        _("living area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["property__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["property", "number"], name="unit_number_per_property"),
            models.CheckConstraint(
                condition=models.Q(living_area__isnull=True) | models.Q(living_area__gt=0),
                name="unit_living_area_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.property.number}/{self.number} ({self.get_kind_display()})"

    # The field named "property" shadows the builtin inside this class body.
    @builtins.property
    def address_street(self) -> str:
        return self.street or self.property.street


class Tenant(models.Model):
    """Mieter/in as known to the ERP, with or without a portal account."""

    class Salutation(models.TextChoices):
        MS = "ms", _("Ms")
        MR = "mr", _("Mr")
        NONE = "none", _("(no salutation)")

    tenant_number = models.CharField(_("tenant number"), max_length=20, unique=True)
    salutation = models.CharField(
        _("salutation"), max_length=10, choices=Salutation.choices, default=Salutation.NONE
    )
    title = models.CharField(_("title"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    street = models.CharField(_("street and number"), max_length=200)
    address_extra = models.CharField(_("address supplement"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="DE")
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenant",
        verbose_name=_("portal account"),
    )
    paperless_consent = models.BooleanField(_("consents to paperless delivery"), default=False)
    paperless_consent_at = models.DateTimeField(
        _("paperless consent given at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paperless_consent=False)
                | models.Q(paperless_consent_at__isnull=False),
                name="tenant_paperless_consent_has_timestamp",
            ),
        ]
        indexes = [models.Index(Lower("last_name"), name="tenant_last_name_ci")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.tenant_number})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def letter_salutation(self) -> str:
        if self.salutation == self.Salutation.MS:
            return _("Dear Ms %(name)s") % {"name": self.last_name}
        if self.salutation == self.Salutation.MR:
            return _("Dear Mr %(name)s") % {"name": self.last_name}
        return _("Dear %(name)s") % {"name": self.full_name}

    @property
    def postal_address_lines(self) -> list[str]:
        """The address block of a letter (DIN 5008): at most six lines, the country last.

        Salutation and name share a line when the block would be too long otherwise.
        """
        salutation = {self.Salutation.MS: "Frau", self.Salutation.MR: "Herrn"}.get(self.salutation)
        town = f"{self.postal_code} {self.city}"
        country = country_name_de(self.country).upper() if self.country != "DE" else ""
        lines = [salutation, self.full_name, self.address_extra, self.street, town, country]
        lines = [line for line in lines if line]
        if len(lines) > 6 and salutation:
            lines = [f"{salutation} {self.full_name}", *lines[2:]]
        return lines


def _money(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )


class ContractQuerySet(models.QuerySet):
    """The one definition of the tenancy's phases; every area asks here.

    A contract is *current* on a day from its start to its end (both inclusive), *upcoming*
    before its start and *ended* after its end. `not_ended` = current or upcoming.
    """

    def current(self, on: date | None = None) -> "ContractQuerySet":
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )

    def upcoming(self, on: date | None = None) -> "ContractQuerySet":
        return self.filter(start_date__gt=on or timezone.localdate())

    def ended(self, on: date | None = None) -> "ContractQuerySet":
        return self.filter(end_date__lt=on or timezone.localdate())

    def not_ended(self, on: date | None = None) -> "ContractQuerySet":
        on = on or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))

    def begun(self, on: date | None = None) -> "ContractQuerySet":
        """Current or ended: the contracts whose time in the unit has started."""
        return self.filter(start_date__lte=on or timezone.localdate())

    def of_tenant(self, tenant: "Tenant") -> "ContractQuerySet":
        return self.filter(partners=tenant)


class Contract(models.Model):
    """Mietvertrag for one unit: who rents which unit, from when to when, for how much.

    Base data every area needs (Meine Verträge, Kontakt, documents, consumption). A tenant may
    hold several (flat, parking space). The table keeps the name it had in the contracts area.
    """

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        CURRENT = "current", _("current")
        ENDED = "ended", _("ended")

    contract_number = models.CharField(_("contract number"), max_length=30, unique=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("unit")
    )
    partners = models.ManyToManyField(
        Tenant, related_name="contracts", verbose_name=_("contract partners")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    grundmiete = _money(_("base rent (Grundmiete)"))
    betriebskosten_vorauszahlung = _money(_("operating costs advance"))
    heizkosten_vorauszahlung = _money(_("heating costs advance"))
    total_rent = models.GeneratedField(
        expression=models.F("grundmiete")
        + models.F("betriebskosten_vorauszahlung")
        + models.F("heizkosten_vorauszahlung"),
        output_field=models.DecimalField(max_digits=10, decimal_places=2),
        db_persist=True,
        verbose_name=_("total monthly rent"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        db_table = "contracts_contract"
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["contract_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number

    def phase(self, on: date | None = None) -> str:
        """The same rule as ContractQuerySet, for one loaded contract."""
        on = on or timezone.localdate()
        if self.start_date > on:
            return self.Phase.UPCOMING
        if self.end_date is not None and self.end_date < on:
            return self.Phase.ENDED
        return self.Phase.CURRENT

    def phase_label(self, on: date | None = None) -> str:
        return self.Phase(self.phase(on)).label

    @builtins.property
    def is_ended(self) -> bool:
        return self.phase() == self.Phase.ENDED

    @builtins.property
    def is_upcoming(self) -> bool:
        return self.phase() == self.Phase.UPCOMING


def country_name_de(code: str) -> str:
    """German country name for an ISO code (pycountry's translations), or the code itself."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    return german.gettext(country.name)


class Team(models.Model):
    """A group of clerks with a shared mailbox; the fallback when no single clerk is responsible."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    email = models.EmailField(_("team e-mail address"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="teams",
        verbose_name=_("members"),
        limit_choices_to={"is_staff": True},
    )
    is_default = models.BooleanField(
        _("default team for its area"),
        default=False,
        help_text=_("Receives everything of its area where no responsibility is set."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(is_default=True),
                name="team_one_default_per_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClerkResponsibility(models.Model):
    """Who handles an area for a property: a clerk, and the team that steps in otherwise."""

    property = models.ForeignKey(
        Property,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("property"),
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("responsible clerk"),
        limit_choices_to={"is_staff": True},
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("fallback team"),
    )

    class Meta:
        verbose_name = _("clerk responsibility")
        verbose_name_plural = _("clerk responsibilities")
        ordering = ["property__number", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "area"], name="one_responsibility_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.property.number} · {self.get_area_display()}"


class Assignment(models.Model):
    """Who works on a tenant's request (bank change, Kontakt): set by the routing, reassignable."""

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible clerk"),
    )
    assigned_team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible team"),
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)

    class Meta:
        abstract = True


class ContactPerson(models.Model):
    """Ansprechpartner/in as shown to tenants. Without a property, shown for every property."""

    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150)
    role_en = models.CharField(_("role (English)"), max_length=150, blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    property = models.ForeignKey(
        Property,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_persons",
        verbose_name=_("property"),
        help_text=_("Leave empty to show this contact for every property."),
    )
    phone = models.CharField(_("phone"), max_length=50)
    email = models.EmailField(_("e-mail address"))
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    office_hours_en = models.CharField(_("office hours (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown to tenants"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["order", "area", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class FaqEntry(models.Model):
    """A question on the help page, maintained by customer service."""

    topic = models.CharField(_("topic (German)"), max_length=100)
    topic_en = models.CharField(_("topic (English)"), max_length=100, blank=True)
    question = models.CharField(_("question (German)"), max_length=300)
    answer = models.TextField(_("answer (German)"))
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_en = models.TextField(_("answer (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question

    def localized(self, language: str) -> tuple[str, str, str]:
        """(topic, question, answer) in the language, German where no translation exists."""
        if language.startswith("en") and self.question_en and self.answer_en:
            return self.topic_en or self.topic, self.question_en, self.answer_en
        return self.topic, self.question, self.answer


class OutboundEmail(models.Model):
    """Every e-mail the portal sends: stored first, delivered by a Celery task after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("recipient"))
    from_email = models.CharField(_("sender"), max_length=254)
    reply_to = models.CharField(_("reply-to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=100, blank=True, help_text=_("Template the mail was made from.")
    )
    sensitive = models.BooleanField(
        _("contains a secret"),
        default=False,
        help_text=_("Links or codes that grant access; the text is erased once the mail is sent."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper only ever looks at pending mail.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class AuditEntry(models.Model):
    """Who did what to which record, and when; written in the same transaction as the change."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("tenant"),
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Job(models.Model):
    """A long piece of work started by a clerk (letters, publishing), split into chunks.

    The state lives here and in the chunks, not in the broker, so a job survives a worker
    restart and clerks find it in the admin. See tenants/jobs.py.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    scope = models.CharField(
        _("scope"), max_length=100, help_text=_("What the job works on, e.g. “property:1001”.")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    chunks_total = models.PositiveIntegerField(_("parts"), default=0)
    chunks_done = models.PositiveIntegerField(_("parts done"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    result_file = models.FileField(_("result"), upload_to="jobs/%Y/%m/", blank=True)
    report = models.TextField(_("report"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_running_job_per_kind_and_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope} ({self.get_state_display()})"

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.chunks_total:
            return 0
        return min(100, self.chunks_done * 100 // self.chunks_total)

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class JobChunk(models.Model):
    """One part of a job: small enough to finish well inside the task time limit.

    A chunk's work and its DONE mark are committed together, so a chunk is done exactly once.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(
        Job, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("job")
    )
    index = models.PositiveIntegerField(_("number"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result_file = models.FileField(_("result"), upload_to="jobs/%Y/%m/parts/", blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job part")
        verbose_name_plural = _("job parts")
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="job_chunk_unique_index"),
        ]
        indexes = [
            # The sweeper only ever looks at unfinished chunks.
            models.Index(
                fields=["state", "started_at"],
                condition=models.Q(state__in=["pending", "running"]),
                name="job_chunk_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index} ({self.get_state_display()})"


class ChangeExport(models.Model):
    """One file of the outgoing change feed ("Changes out", docs/erp-interface.md).

    Its changes are claimed (ChangeRecord.export) in the transaction that writes the file, so a
    change is in exactly one batch. Until the ERP confirms the batch it can be written again.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    file_name = models.CharField(_("file name"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=10)
    count = models.PositiveIntegerField(_("changes"), default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("change export")
        verbose_name_plural = _("change exports")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.pk} ({self.count})"


class ChangeRecord(models.Model):
    """A change made in the portal that the ERP must learn about, written in the transaction of
    the change (tenants.changes.change_record). Its id is the change id the ERP sees.
    """

    class Entity(models.TextChoices):
        TENANT = "tenant", _("Tenant")
        CONTRACT = "contract", _("Contract")

    class Kind(models.TextChoices):
        POSTAL_ADDRESS = "postal_address", _("Postal address")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail address")
        PAPERLESS_CONSENT = "paperless_consent", _("Paperless delivery")
        BANK_DETAILS = "bank_details", _("Bank details")

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    entity = models.CharField(_("record type"), max_length=20, choices=Entity.choices)
    key = models.CharField(
        _("number"), max_length=20, help_text=_("Tenant number or contract number.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    data = models.JSONField(_("new values"), default=dict, blank=True)
    # Bank details only. Encrypted like every IBAN at rest; rotate_encryption_keys covers it.
    iban = EncryptedCharField(_("IBAN"), blank=True)
    export = models.ForeignKey(
        ChangeExport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("export"),
    )

    class Meta:
        verbose_name = _("outgoing change")
        verbose_name_plural = _("outgoing changes")
        ordering = ["pk"]
        indexes = [
            # The export only ever looks for changes not yet exported.
            models.Index(
                fields=["id"], condition=models.Q(export__isnull=True), name="change_unexported_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.entity} {self.key}"
