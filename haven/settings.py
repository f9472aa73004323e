"""Haven settings: one file, driven by the environment (see docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from haven.core.env import env_bool, env_int, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("HAVEN_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = env_bool("HAVEN_DEBUG", False)
# Signs sessions and CSRF tokens. From the environment, or else a random key kept in var/ (made once).
SECRET_KEY = env_str("HAVEN_SECRET_KEY", "") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = [h for h in env_str("HAVEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("HAVEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "haven.core",
    "haven.geo",
    "haven.accounts",
    "haven.audit",
    "haven.cases",
    "haven.consent",
    "haven.referrals",
    "haven.entitlements",
    "haven.directory",
    "haven.support",
    "haven.budgets",
    "haven.protection",
    "haven.followup",
    "haven.legal",
    "haven.reports",
    "haven.exchange",
    "haven.research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "haven.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haven.core.middleware.SessionActivityMiddleware",
    "haven.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "haven.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.core.context_processors.haven",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'haven.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once (the audit chain serialises writes).
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The case list's indexes carry extra columns (INCLUDE) on PostgreSQL, the production database; SQLite, the
# embedded default, builds them on the key columns only, which is what Django's warning W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions expire after a period without activity and always when the browser closes. Activity pushes the
# expiry back at most once a minute (core.middleware.SessionActivityMiddleware), not with a database write
# on every request: the idle timeout is between HAVEN_SESSION_MINUTES minus one minute and the full value.
SESSION_COOKIE_AGE = env_int("HAVEN_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
HAVEN_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("HAVEN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Login protection.
HAVEN_LOCKOUT_THRESHOLD = env_int("HAVEN_LOCKOUT_THRESHOLD", 5)
HAVEN_LOCKOUT_MINUTES = env_int("HAVEN_LOCKOUT_MINUTES", 15)
HAVEN_REQUIRE_2FA = env_bool("HAVEN_REQUIRE_2FA", True)
HAVEN_BREAK_GLASS_HOURS = env_int("HAVEN_BREAK_GLASS_HOURS", 4)
HAVEN_API_TOKEN_DAYS = env_int("HAVEN_API_TOKEN_DAYS", 90)

# Published statistics (docs/disclosure.md): the smallest count shown, and each area's yearly
# differential-privacy budget (epsilon, a decimal string).
HAVEN_DISCLOSURE_K = env_int("HAVEN_DISCLOSURE_K", 5)
HAVEN_DP_YEARLY_EPSILON = env_str("HAVEN_DP_YEARLY_EPSILON", "2.0")
HAVEN_STAY_WARNING_DAYS = env_int("HAVEN_STAY_WARNING_DAYS", 7)

# Encryption keys: a JSON key file (see docs/security.md), or HAVEN_KEYS holding the same JSON.
HAVEN_KEY_FILE = env_str("HAVEN_KEY_FILE", str(VAR_DIR / "keys.json"))
HAVEN_ENVIRONMENT_LABEL = env_str("HAVEN_ENVIRONMENT_LABEL", "")
# Where `haven audit anchor` copies the chain head, outside the database (see docs/security.md).
HAVEN_AUDIT_ANCHOR_FILE = env_str("HAVEN_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
HAVEN_DEFAULT_LANGUAGE = env_str("HAVEN_DEFAULT_LANGUAGE", "vi")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HAVEN_LOG_LEVEL", "WARNING")},
}
