"""Settings shared by every environment, read from the environment at start-up.

Nothing secret lives here: ``TIENDO_SECRET_KEY`` must be set in production; development and the
demo generate a key once and keep it in the data directory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("TIENDO_DATA_DIR", BASE_DIR / "data")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("TIENDO_SECRET_KEY")
    if key:
        return key
    # Development and demo only: a random key, kept so sessions survive a restart.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("TIENDO_DEBUG", False)
ALLOWED_HOSTS = env_list("TIENDO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("TIENDO_CSRF_TRUSTED_ORIGINS")
# Demo mode lists the demo accounts on the sign-in page; never on in production.
TIENDO_DEMO = env_bool("TIENDO_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "tiendo.core",
    "tiendo.accounts",
    "tiendo.orgs",
    "tiendo.programs",
    "tiendo.audit",
    "tiendo.calendars",
    "tiendo.reminders",
    "tiendo.dashboards",
    "tiendo.reporting",
    "tiendo.indexing",
    "tiendo.imports",
    "tiendo.appraisals",
    "tiendo.datacatalog",
    "tiendo.api",
    "tiendo.demo",
    "django_tasks",
    "django_tasks_db",
]

# Background work (reminders, report generation) runs on a queue kept in the database:
# no extra server. `tiendo db_worker` processes it; see README.md, "Running it for real".
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tiendo.accounts.twofactor.TwoFactorMiddleware",
    "tiendo.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns locked-out sign-ins into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tiendo.core.context_processors.tiendo",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tiendo.sqlite3'}"),
        conn_max_age=int(os.environ.get("TIENDO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation cost more than it saved on every dashboard query measured (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Login throttling and lockout: 5 failed sign-ins lock the username for 15 minutes.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TIENDO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("TIENDO_LOGIN_COOLOFF_HOURS", "0.25"))
# Lock the account (whatever the address: a distributed guess is stopped), and also a client
# (address and browser) guessing across accounts.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Optional single sign-on through a ministry's OpenID Connect provider: on when its endpoints
# are configured (TIENDO_OIDC_*). Users are matched by e-mail and must already exist in tiendo
# with their memberships; SSO never creates accounts or grants roles.
OIDC_RP_CLIENT_ID = os.environ.get("TIENDO_OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("tiendo.accounts.oidc.TiendoOIDCBackend")
    OIDC_RP_CLIENT_SECRET = os.environ.get("TIENDO_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("TIENDO_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["TIENDO_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["TIENDO_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["TIENDO_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("TIENDO_OIDC_JWKS_ENDPOINT", "")
    OIDC_CREATE_USER = False
# Two-factor (TOTP) for privileged roles; on in production, off for the demo (see twofactor.py).
TIENDO_2FA_REQUIRED = env_bool("TIENDO_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "tiendo"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("TIENDO_LANGUAGE", "vi")
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
TIME_ZONE = os.environ.get("TIENDO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []
# Vietnamese dates as officials write them (30/11/2024), not Django's default 30-11-2024.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TIENDO_STATIC_ROOT", DATA_DIR / "staticfiles"))
# Uploaded evidence lives outside the web root and is served only through access-checked views.
MEDIA_ROOT = Path(os.environ.get("TIENDO_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TIENDO_UPLOAD_MAX_BYTES = int(os.environ.get("TIENDO_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Hosts the data catalogue may pull HTTP/JSON datasets from (comma-separated, e.g.
# "api.sotttt.gov.vn,10.0.4.12"). Empty: no HTTP pulls. Checked on every page and redirect.
TIENDO_PULL_HOSTS = [
    h.strip() for h in os.environ.get("TIENDO_PULL_HOSTS", "").split(",") if h.strip()
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Sessions last a working day at most and end when the browser closes. (Not extended on each
# request: that would write the session row on every read, serialising reads on SQLite.)
SESSION_COOKIE_AGE = int(os.environ.get("TIENDO_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: everything from this server only; no inline script. Inline style
# attributes stay allowed (progress bars and chart containers set widths).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get(
    "TIENDO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("TIENDO_FROM_EMAIL", "tiendo@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TIENDO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
