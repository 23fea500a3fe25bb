"""Settings shared by every environment. Values come from the environment with safe development defaults."""

import os
from pathlib import Path

from django.utils.csp import CSP

import dj_database_url

from lms.sso_conf import provider_origins, providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The platform's public address. xAPI activity ids and actor home pages are built from it,
# never from the request's host.
PLATFORM_BASE_URL = os.environ.get("PLATFORM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL
WAGTAIL_SITE_NAME = "IA & enseignement"
# No third-party avatar requests from the admin (privacy, and the CSP blocks them anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

INSTALLED_APPS = [
    "lms.apps.LmsConfig",
    "competencies",
    "courses",
    "assessments",
    "xapi",
    "reports",
    "cohorts",
    "privacy",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite embedded by default, PostgreSQL (or any) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions + busy timeout: the web server and the workers can write at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: erased values are overwritten with zeros, not left in the file's free pages.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
else:
    INSTALLED_APPS.append("django.contrib.postgres")
# A read replica for the managers' reports (lms/db_router.py; docs/capacity.md). Unset: reports read `default`.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # in the test suite, the replica is the test database
DATABASE_ROUTERS = ["lms.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: Wagtail's own work stays on "default"; the project's jobs (imports, large exports)
# go to their own database-backed alias, run by `manage.py db_worker --backend jobs`.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "jobs": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lms.sso.SsoBackend",  # only reads the session of someone who logged in through a provider (lms/sso.py)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:my_learning"  # a learner lands on their courses
LOGOUT_REDIRECT_URL = "/"

# Single sign-on (OpenID Connect): providers from the environment (lms/sso_conf.py, docs/sso.md).
# LOCAL_LOGIN_ENABLED=false hides the e-mail and password form and refuses it (SSO only).
OIDC_PROVIDERS = providers_from_env(os.environ)
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)

# Failed log-in throttling (django-axes): 5 failures per account and address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One normalised log-in name (stripped, lower-cased address) for log-in and for axes: case variants share one lock.
AXES_USERNAME_CALLABLE = "lms.security.axes_username"
# One client address for axes and for every rate limit (see TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "lms.security.client_ip"

# Number of reverse proxies in front of the application that append to X-Forwarded-For (a TLS proxy: 1).
# 0 (default): the TCP peer address (REMOTE_ADDR) is the client. Never set it higher than the real number of
# proxies: the client could then choose its own address by sending X-Forwarded-For itself.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 8)))
# An inactivity timeout rather than an absolute one, without a write per request: lms/sessions.py saves the
# session when it changes and at most once every SESSION_REFRESH_SECONDS otherwise.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "300"))

# Internationalisation: French by default, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Serve /media/ through Django (lms.media: nosniff, Content-Disposition, a sandboxing CSP). On with DEBUG; in
# production the web server serves media with the same headers (docs/security.md), or set SERVE_MEDIA=true.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Generated exports (reports, learners' data archives): outside MEDIA_ROOT, served only through checked views,
# deleted by `apply_retention` after PRIVACY_RETENTION["EXPORT_FILES_DAYS"].
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR", VAR_DIR / "exports"))
REPORTS_EXPORT_DIR = EXPORTS_DIR / "reports"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Content Security Policy (Django's own middleware, which lms.csp extends; docs/csp.md explains each choice).
# Learner pages: scripts from this origin only, plus inline ones carrying the request's nonce.
CSP_REPORT_URI = "/csp-report/"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    "report-uri": [CSP_REPORT_URI],
}
# The browser is sent to the identity providers after a form (log-out, and log-in's redirections).
SECURE_CSP["form-action"] = [CSP.SELF, *provider_origins(OIDC_PROVIDERS)]
# Wagtail's administration (/admin/, except previews, which keep the learner policy): Wagtail 8 writes per-widget
# inline scripts (choosers, inline panels, date pickers) and offers no nonce hook, so inline scripts are allowed there,
# and only there. No nonce in this policy: a nonce would make browsers ignore 'unsafe-inline'. No eval, no third
# party (avatars are served locally, WAGTAIL_GRAVATAR_PROVIDER_URL = None).
CSP_ADMIN_PATH_PREFIX = "/admin/"
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "media-src": [CSP.SELF, "blob:"],
}
# DENY for old browsers; modern ones obey CSP frame-ancestors (same origin), which Wagtail's preview needs.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# E-mail: console in development; SMTP when EMAIL_HOST is set.
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IA & enseignement <ne-pas-repondre@localhost>")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    # The console, decoded (lms.mail): a link copied from the terminal works.
    MAILERS = {"default": {"BACKEND": "lms.mail.ReadableConsoleBackend"}}
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Learning Record Store (xAPI). Without LRS_ENDPOINT, statements accumulate safely in the outbox.
LRS_ENDPOINT = os.environ.get("LRS_ENDPOINT", "").rstrip("/")
LRS_USERNAME = os.environ.get("LRS_USERNAME", "")
LRS_PASSWORD = os.environ.get("LRS_PASSWORD", "")
LRS_TIMEOUT = float(os.environ.get("LRS_TIMEOUT", "10"))
LRS_BATCH_SIZE = int(os.environ.get("LRS_BATCH_SIZE", "200"))

# Wagtail
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "ods",
    "odp",
    "docx",
    "xlsx",
    "pptx",
    "csv",
    "txt",
    "json",
    "vtt",
    "mp4",
    "webm",
]
# No SVG: an SVG is a document that can carry <script>; raster formats only (Wagtail also checks the content matches
# the extension). Documents never include svg, html or xml; only PDF opens in the browser, the rest downloads.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would send a hash of each person's e-mail address to a third party (and the
# administration's img-src stays 'self'): Wagtail shows its own default.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# The log-in address is changed through lms's own account panel, which confirms the new address first.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# No Gravatar: it would send a hash of every staff address to a third party (and the CSP blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The time zones a user may choose in their account: France's (Wagtail's default lists every zone the system knows,
# including "localtime", which browsers reject, an error on the account page).
WAGTAIL_USER_TIME_ZONES = [
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Miquelon",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Pacific/Wallis",
    "UTC",
]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
