"""Accounts and the organisation of French public education (région académique → académie → establishment)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import AuditEntry  # noqa: F401 (the audit log's model, defined beside audit())
from .security import normalise_email
from .uai import normalise_uai, validate_uai


class RegionAcademique(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("academic region")
        verbose_name_plural = _("academic regions")

    def __str__(self) -> str:
        return self.name


class Academie(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("Ministry code, e.g. 16 for Toulouse."))
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        RegionAcademique, verbose_name=_("academic region"), on_delete=models.PROTECT, related_name="academies"
    )
    email_domain = models.CharField(_("staff e-mail domain"), max_length=100, unique=True)
    legacy_email_domains = models.CharField(
        _("former e-mail domains"),
        max_length=200,
        blank=True,
        help_text=_("Space-separated domains of académies merged into this one (e.g. ac-caen.fr ac-rouen.fr)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        permissions = [
            ("view_academy_reports", _("Can see reports about their own académie")),
            ("view_national_reports", _("Can see reports about every académie")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [self.email_domain, *self.legacy_email_domains.split()]


class Establishment(models.Model):
    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("name"), max_length=200)
    academie = models.ForeignKey(
        Academie, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="establishments"
    )
    kind = models.CharField(_("type"), max_length=100, blank=True)
    sector = models.CharField(_("public or private"), max_length=20, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    priority_education = models.CharField(
        _("priority education"), max_length=10, blank=True, help_text=_("REP, REP+ or empty.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"

    def save(self, *args, **kwargs):
        self.uai = normalise_uai(self.uai)
        super().save(*args, **kwargs)


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        # Log-in is by e-mail: there is no username.
        email = normalise_email(self.normalize_email(email or username))
        user = self.model(email=email, **extra_fields)
        user.password = ""
        if password is not None:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, username, email, password, **extra_fields):
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # The same normalised form as django-axes counts failures on (lms.security.axes_username).
        return self.get(email=normalise_email(username))


class User(AbstractUser):
    """A person on the platform. Log-in by e-mail; the académie is never self-declared."""

    class AcademieSource(models.TextChoices):
        NONE = "", _("not set")
        EMAIL = "email", _("confirmed professional e-mail address")
        MANAGER = "manager", _("set by an académie manager or administrator")
        SSO = "sso", _("identity provider (single sign-on)")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    academie = models.ForeignKey(
        Academie, verbose_name=_("académie"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    academie_source = models.CharField(
        _("académie set from"), max_length=10, choices=AcademieSource.choices, blank=True, default=""
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    retention_warned_at = models.DateTimeField(
        _("warned of anonymisation for inactivity at"), null=True, blank=True, editable=False
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class SsoIdentity(models.Model):
    """The link between an account and a person's identity at an OpenID Connect provider (issuer + subject)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sso_identities")
    provider = models.CharField(_("identity provider"), max_length=50)
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("identifier at the provider"), max_length=255)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last log-in through the provider"), null=True, blank=True)

    class Meta:
        ordering = ["linked_at"]
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="lms_sso_identity_unique")]
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"
