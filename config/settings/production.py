"""Production: every secret from the environment, HTTPS assumed behind a reverse proxy."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
TIENDO_2FA_REQUIRED = env_bool("TIENDO_2FA_REQUIRED", True)
SECRET_KEY = os.environ["TIENDO_SECRET_KEY"]
SECURE_SSL_REDIRECT = env_bool("TIENDO_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("TIENDO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
