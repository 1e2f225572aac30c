"""Hongshu settings: one file, driven by the environment.

With nothing set it runs embedded (SQLite, local media, eager Celery, console e-mail, DEBUG on).
`DATABASE_URL`, `REDIS_URL` and `DJANGO_DEBUG=0` switch on the production path.
"""

import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The embedded default key is only for local runs; production refuses to start without its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "hongshu-local-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "csp",
    "django_htmx",
    "users",
    "notes",
    "mall",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view phase reads the body; after the session, language and user, so its 413
    # page looks like every other page.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.StaleCursorMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "core.limit_cache.LimitsUnavailableMiddleware",
]

ROOT_URLCONF = "community.root_urls"
WSGI_APPLICATION = "community.wsgi.application"
ASGI_APPLICATION = "community.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # core is a toolkit, not an app: its template tags are named here.
            "libraries": {"pictures": "core.templatetags.pictures"},
        },
    },
]


def sqlite_options() -> dict[str, object]:
    """SQLite set up for a few concurrent writers (the embedded default serves several clients).

    WAL lets readers go on while one writes; IMMEDIATE transactions take the write lock at BEGIN,
    so writers queue for up to `timeout` seconds instead of failing with "database is locked"
    when a read turns into a write.
    """
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a request in seconds instead of minutes.
    # No JIT: its compiling cost 30 ms on every search of a common word, for queries that run
    # in tens of milliseconds (the bench's search_cold); a web request never profits from it.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
        "options": "-c jit=off",
        **DATABASES["default"].get("OPTIONS", {}),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Options given in DATABASE_URL's query string still win.
    DATABASES["default"]["OPTIONS"] = {
        **sqlite_options(),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "community:home"
# Where a new account lands after sign-up (unless the sign-up page was given a `next`): the
# onboarding pages, where they pick interests and creators. A URL name, so users imports no app.
SIGNUP_REDIRECT_URL = "community:onboarding"
LOGOUT_REDIRECT_URL = "community:home"

# --- Internationalisation: Simplified Chinese and English, chosen from the browser.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media files.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)  # production: a proxy or S3 serves media
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, Alibaba OSS…) through
# django-storages when a bucket is named; every file is written through the storage API, so
# nothing else changes. Credentials come from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY variables (or the machine's role); see the README.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,  # public pictures: stable URLs that caches can keep
            "file_overwrite": False,  # names are random anyway; never replace a stored file
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Upload limits. Each file is judged by its own limit when a service inspects it; the request as
# a whole is refused with a 413 before a view runs once it is larger than REQUEST_BODY_MAX_BYTES:
# by its Content-Length (core.middleware.RequestBodyLimitMiddleware), and by the bytes actually
# read (core.request_body.CheckedBodyUploadHandler), which also refuses a cut-off upload with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # the text fields of one request, files aside
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_HANDLERS = [
    "core.request_body.CheckedBodyUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
NOTE_IMAGES_MAX = 18  # photos a note may carry (notes.models.IMAGES_MAX)
NOTE_IMAGE_MAX_BYTES = int(os.environ.get("NOTE_IMAGE_MAX_BYTES", 20 * 1024 * 1024))
NOTE_VIDEO_MAX_BYTES = int(os.environ.get("NOTE_VIDEO_MAX_BYTES", 200 * 1024 * 1024))
NOTE_VIDEO_MAX_SECONDS = int(os.environ.get("NOTE_VIDEO_MAX_SECONDS", 15 * 60))
# A video's size limit grows with the minutes the author's level allows (users.levels), about
# a phone's 1080p bitrate: 5 minutes 100 MB, 10 minutes 200 MB (NOTE_VIDEO_MAX_BYTES caps it).
NOTE_VIDEO_BYTES_PER_MINUTE = 20 * 1024 * 1024
AVATAR_MAX_BYTES = 5 * 1024 * 1024
# Pictures (core.uploads, core.images): a pixel flood or decompression bomb is refused from its
# header, far below Pillow's own ~89 MP guard (a 48 MP phone photo passes).
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))
# The widths each kind of picture is served at (WebP, and JPEG for older browsers): a phone's
# two-column waterfall takes the smallest. `make_variants` rebuilds them after a change here.
NOTE_IMAGE_WIDTHS = (360, 720, 1080)
PRODUCT_IMAGE_WIDTHS = (360, 720, 1080)
AVATAR_WIDTHS = (64, 160, 320)  # square; shown at 20-112 CSS pixels
VIDEO_POSTER_SECONDS = 1.0  # where a video's poster frame is taken (its first frame if shorter)
# One limit for a whole request: the largest upload the rules allow (a note's photos or its one
# video), plus its text fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and 1 MB for the multipart headers
# (a few hundred bytes a part, ~1,100 parts at most). The proxy in front must use the same number
# (nginx: client_max_body_size); see the README.
REQUEST_BODY_MAX_BYTES = (
    max(NOTE_IMAGES_MAX * NOTE_IMAGE_MAX_BYTES, NOTE_VIDEO_MAX_BYTES)
    + DATA_UPLOAD_MAX_MEMORY_SIZE
    + 1024 * 1024
)

# --- Cache and Celery: Redis when REDIS_URL is set, otherwise in-process.
# Every Redis client gives up quickly: a Redis that is down or frozen must cost a request a
# fraction of a second, never a worker (see the README, "What degrades without Redis").
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5"))
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))


def cache_settings(redis_url: str) -> dict[str, dict[str, object]]:
    """The shared cache (Redis, or in-process), the two aliases rate limits count through
    (core.limit_cache): "rate_limits" skips a limit while the shared cache fails, and
    "security_limits" (log-in, tokens, sign-up, password reset) counts in the database then;
    and "cards", each process's kept fragments, which every page renders through.
    The database's table is made by `manage.py createcachetable` (`make release`).
    """
    if redis_url:
        shared = {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    else:
        shared = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "default": shared,
        "rate_limits": {"BACKEND": "core.limit_cache.LimitCache", "LOCATION": "default"},
        "security_limits": {
            "BACKEND": "core.limit_cache.LimitCache",
            "LOCATION": "default",
            "OPTIONS": {"FALLBACK": "rate_limits_database"},
        },
        "rate_limits_database": {
            "BACKEND": "core.limit_cache.CountingDatabaseCache",
            "LOCATION": "rate_limit_counts",
            # Culling resets counts: keep room for one counter per address during an attack.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Kept fragments (core.fragments: note cards, comments, every page's chrome), in each
        # process's memory: each is keyed by everything it shows, so no process ever needs
        # telling that one changed, and a page costs no network round trip for them.
        "cards": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "note-cards",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }


CACHES = cache_settings(REDIS_URL)

# The longest a background job may run (hard limit), and how long the broker waits before it
# hands an unacknowledged job to another worker: longer, so a job is never run twice at once
# only because it is slow. A job lost with its worker (acks late, rejected when the worker is
# lost) runs again: every task is idempotent and "one at a time" jobs take core.locks.job_lock,
# which dies with its holder.
JOB_TIME_LIMIT_SECONDS = int(os.environ.get("JOB_TIME_LIMIT_SECONDS", 60 * 60))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT_SECONDS
CELERY_TASK_SOFT_TIME_LIMIT = JOB_TIME_LIMIT_SECONDS * 9 // 10  # time to let go of its locks
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * JOB_TIME_LIMIT_SECONDS,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # Above the 1 s a worker's BRPOP waits for new jobs.
    "socket_timeout": max(REDIS_SOCKET_TIMEOUT, 5.0),
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web process that enqueues a job while Redis is unreachable gives up within seconds.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = max(REDIS_SOCKET_TIMEOUT, 5.0)
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 25
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Counters drift only through bugs or manual SQL; the nightly pass puts them right, then
    # rebuilds impressions from the daily counts, re-evaluates the pools and trims seen sets
    # (notes.services.recalculation; `manage.py recalculate_ces` runs the same by hand).
    "note-counters-recount-nightly": {
        "task": "notes.note_counters_recount_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Unpaid orders past their deadline give their stock back.
    "mall-orders-expire": {"task": "mall.orders_expire_task", "schedule": 60.0},
    # Taps on products in notes are counted in the cache and written in batches.
    "mall-note-product-clicks-flush": {
        "task": "mall.note_product_clicks_flush_task",
        "schedule": 300.0,
    },
    "growth-counters-recount-nightly": {
        "task": "notes.growth_counters_recount_task",
        "schedule": crontab(hour=4, minute=15),
    },
    "mall-growth-counters-recount-nightly": {
        "task": "mall.growth_counters_recount_task",
        "schedule": crontab(hour=4, minute=40),
    },
    # E-mail digests of unread messages, each account outside its own quiet hours.
    "message-digests-hourly": {
        "task": "users.notification_digests_send_task",
        "schedule": crontab(minute=5),
    },
    # Impressions into Note.impressions, pool promotions, Discover's candidate lists.
    "discovery-refresh": {
        "task": "notes.discovery_refresh_task",
        "schedule": crontab(minute="*/5"),
    },
    # Readers' interests learned from the last few minutes' likes, bookmarks, comments, reads.
    "reader-interests-update": {
        "task": "notes.reader_interests_update_task",
        "schedule": crontab(minute="2-59/5"),
    },
    "hot-list-refresh": {
        "task": "notes.hot_list_refresh_task",
        "schedule": crontab(minute="*/10"),
    },
    # The tag page's counts, for every tag in one GROUP BY (notes.selectors.notes_tagged_count).
    "tag-counts-refresh": {
        "task": "notes.tag_counts_refresh_task",
        "schedule": crontab(minute="1-59/5"),
    },
    "hot-searches-refresh": {
        "task": "notes.hot_queries_refresh_task",
        "schedule": crontab(minute="1-59/5"),
    },
}
# Rows the recount repairs per transaction: a killed run keeps the batches it committed.
COUNTER_RECOUNT_BATCH_SIZE = int(os.environ.get("COUNTER_RECOUNT_BATCH_SIZE", 10_000))

# --- E-mail: the console in development, SMTP when configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Hongshu <noreply@hongshu.local>")
# Where links in e-mails sent without a request (message digests) point.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Links to these hosts (and their subdomains) are the site's own: the screening that holds
# notes sending readers elsewhere (core.screening) lets them pass.
SCREENING_OWN_HOSTS = [urlsplit(SITE_URL).hostname or "", *ALLOWED_HOSTS]

# --- Security. Production (DEBUG off) gets secure cookies, HTTPS and HSTS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The load balancer probes each process over plain HTTP (community.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Rate limits (django-ratelimit): answered with a 429 page, see users.views.rate_limited.
RATELIMIT_VIEW = "users.views.rate_limited"
RATELIMIT_USE_CACHE = "security_limits"  # every page limit guards an account: core.limit_cache
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATE_LIMIT_LOGIN_PER_IP = os.environ.get("RATE_LIMIT_LOGIN_PER_IP", "20/m")
RATE_LIMIT_LOGIN_PER_ACCOUNT = os.environ.get("RATE_LIMIT_LOGIN_PER_ACCOUNT", "5/m")
RATE_LIMIT_SIGNUP_PER_IP = os.environ.get("RATE_LIMIT_SIGNUP_PER_IP", "5/h")
RATE_LIMIT_PASSWORD_RESET_PER_IP = os.environ.get("RATE_LIMIT_PASSWORD_RESET_PER_IP", "5/h")
RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = os.environ.get(
    "RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT", "3/h"
)
# Reports (举报) a reader may file, on the pages and on the API each: plenty for honest use.
RATE_LIMIT_REPORTS = os.environ.get("RATE_LIMIT_REPORTS", "20/h")
# Copies of one's data (a heavy read), per account, on the page and on the API each.
RATE_LIMIT_DATA_EXPORT = os.environ.get("RATE_LIMIT_DATA_EXPORT", "5/h")
# The client's address, counted by every per-IP limit of pages and API: core.http.client_ip.
# REMOTE_ADDR unless a trusted proxy is named: the META key of the header it sets (e.g.
# HTTP_X_REAL_IP; RATELIMIT_IP_META_KEY is the older name), else how many proxies append to
# X-Forwarded-For. The app must then be reachable only through that proxy.
CLIENT_IP_META_KEY = os.environ.get("CLIENT_IP_META_KEY") or os.environ.get(
    "RATELIMIT_IP_META_KEY", ""
)
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "core.http.client_ip"

# --- API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hongshu API",
    "DESCRIPTION": """Notes, interactions and people of the Hongshu community.

**Signing in.** Send the session cookie of a signed-in browser (with its CSRF token on writes),
or `Authorization: Token <key>` with a key from `POST /api/v1/auth/token/`.

**Errors.** Every error answers `{"detail": "…"}` (`Error`), except an invalid request: 400 with
messages by field (`ValidationError`). Each operation lists the errors it can give.

- **400**: the request is not valid (a field, a filter, an expired `cursor`), or the thing's state
  does not allow it (liking a draft, following oneself).
- **403**: not signed in, or signed in but not allowed (changing someone else's note). Missing or
  invalid credentials answer 403, never 401: DRF answers 401 only when the first authentication
  scheme sends a challenge, and the session scheme, which comes first, sends none. `detail` says
  which.
- **404**: it does not exist, or the reader may not see it: another's draft or private board, a
  deactivated account's notes and boards. Not 403, so their existence is not given away.
- **429**: too many requests; try again after the seconds in `Retry-After`.

**Lists** answer `{"results": […], "next": URL or null}`. An empty `cursor`, `author` or `tag`
is ignored.""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page (/api/docs/) loads Swagger UI from our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Notes and orders both have a `status`: each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "NoteStatusEnum": "notes.models.Note.Status",
        "OrderStatusEnum": "mall.models.Order.Status",
        "HeldForKindEnum": "core.screening.CHOICES",
        "KindEnum": "users.models.User.Kind",  # the account kind keeps its name
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # drf-spectacular's default
        "core.schema.error_responses",
    ],
}

# --- Product settings.
FEED_PAGE_SIZE = 20

# One topic whatever the case it is written in: #OOTD and #ootd tag the same notes (taggit looks
# names up with iexact; notes migration 0017 merged the duplicates made before).
TAGGIT_CASE_INSENSITIVE = True

# --- Discovery (notes.services.discovery). Stepped traffic pools: each pool's impression budget,
# and the engagement rate (CES gained per impression in the pool) a note must beat, once it has
# used its budget, to move up to the next pool. The last pool has no next one.
TRAFFIC_POOL_BUDGETS = (200, 500, 2_000, 20_000, 100_000)
TRAFFIC_POOL_PROMOTION_RATES = (0.15, 0.15, 0.12, 0.10)
# An account at least this heavy (users.selectors.user_account_weight: red-potato level and
# followers; e.g. level 8 with 1,000 followers) starts new notes one pool higher.
TRAFFIC_POOL_HEAVY_AUTHOR_WEIGHT = 2.0
DISCOVER_SEEN_DAYS = 7  # a reader is not shown a note again within this many days
# Where the seen sets live (notes.seen): "redis" (REDIS_URL) or "database".
DISCOVER_SEEN_STORE = os.environ.get("DISCOVER_SEEN_STORE", "redis" if REDIS_URL else "database")
DISCOVER_EXPLORATION_SHARE = 0.2  # of each page: fresh notes in low pools outside one's interests
DISCOVER_EXPLORATION_POOLS = 2  # pools 0 and 1 are explored
DISCOVER_FRESHNESS_HALF_LIFE_HOURS = 72
DISCOVER_CANDIDATES_PER_LIST = 200  # notes kept per tag list by the candidates task
DISCOVER_CANDIDATE_MAX_AGE_DAYS = 60  # older offered notes reach readers through search, tags…
DISCOVER_MORE_PRESELECT = 5  # × DISCOVER_CANDIDATES_PER_LIST settled notes scored for MORE
DISCOVER_LIST_LENGTH = 200  # notes ranked for one reader's visit; its pages are cut from it
DISCOVER_ANONYMOUS_DAYS = 7  # signed-out readers see the best notes of these last days
DISCOVER_ANONYMOUS_CACHE_SECONDS = 300  # the same list for every signed-out reader meanwhile
# The rendered first page of that list, for every signed-out reader in a language (community.views).
DISCOVER_ANONYMOUS_PAGE_SECONDS = int(os.environ.get("DISCOVER_ANONYMOUS_PAGE_SECONDS", 30))
DISCOVER_AUTHOR_MAX_PER_PAGE = 2
READER_INTEREST_HALF_LIFE_DAYS = 30
READER_INTEREST_SIGNALS = {  # added to each tag of the note, per event
    "like": 1.0,
    "bookmark": 2.0,
    "comment": 3.0,
    "long_read": 1.0,
    "not_interested": -3.0,
    "onboarding": 3.0,
    "search": 1.0,  # each topic a reader searches for
}
READER_INTEREST_TAGS_MAX = 64  # the strongest weights kept per reader
READER_LONG_READ_SECONDS = 15  # on a note page this long counts as a long read
ONBOARDING_MIN_INTERESTS = 3
# The hot list (notes.services.hot): engagement (CES-weighted) of the last hours against what each
# topic or note usually gets, recent hours counting most.
HOT_LIST_WINDOW_HOURS = 6
HOT_LIST_HALF_LIFE_HOURS = 3
HOT_LIST_BASELINE_DAYS = 7
HOT_LIST_SIZE = 20
HOT_LIST_MIN_ENGAGEMENT = 5  # CES in the window below which nothing is "hot"
HOT_LIST_STALE_MINUTES = 30  # no refresh for this long (no beat): the next reader refreshes it
# Search (core.search, notes.search): freshness halves a note's rank every this many days; hot
# searches compare the last hours with the query's own rate over the days before.
SEARCH_FRESHNESS_HALF_LIFE_DAYS = 180
SEARCH_HOT_WINDOW_HOURS = 3
SEARCH_HOT_BASELINE_DAYS = 7
SEARCH_HOT_MIN_SEARCHES = 3
SEARCH_HOT_SIZE = 10
# Which notes make a page of a query's results is kept this long for every reader (notes.search).
SEARCH_PAGE_SECONDS = int(os.environ.get("SEARCH_PAGE_SECONDS", 60))
NEARBY_DEFAULT_RADIUS_KM = 10
NEARBY_MAX_RADIUS_KM = 100
# Places come from an offline gazetteer (core.places); searches put these countries' cities first.
PLACES_PREFERRED_COUNTRIES = ("CN", "HK", "MO", "TW")
# A point within this distance of a city is in that city: it is named after it, and keeps its
# coordinates when its name is changed to that city's.
PLACE_CITY_RADIUS_KM = 30
# The demo data and the bench put notes around these cities: (slug, name, lat, lng). Readers pick
# places from the gazetteer (core.places), not from this list.
NEARBY_CITIES = [
    ("shanghai", _("Shanghai"), 31.2304, 121.4737),
    ("beijing", _("Beijing"), 39.9042, 116.4074),
    ("guangzhou", _("Guangzhou"), 23.1291, 113.2644),
    ("shenzhen", _("Shenzhen"), 22.5431, 114.0579),
    ("hangzhou", _("Hangzhou"), 30.2741, 120.1551),
    ("chengdu", _("Chengdu"), 30.5728, 104.0668),
]

# --- The mall (福利社). Amounts in CNY, as Decimal strings.
MALL_FREE_SHIPPING_OVER = Decimal(os.environ.get("MALL_FREE_SHIPPING_OVER", "99.00"))
MALL_SHIPPING_FEE = Decimal(os.environ.get("MALL_SHIPPING_FEE", "10.00"))
MALL_ORDER_PAYMENT_MINUTES = int(os.environ.get("MALL_ORDER_PAYMENT_MINUTES", "30"))
MALL_NOTE_PRODUCTS_MAX = 5  # products a creator may link from one note
MALL_CART_LINES_MAX = 50
MALL_LINE_QUANTITY_MAX = 99  # one SKU in one cart or order, whatever its stock
MALL_ADDRESSES_MAX = 20
MALL_PRODUCT_IMAGES_MAX = 9
MALL_PRODUCT_IMAGE_MAX_BYTES = 10 * 1024 * 1024
MALL_LOW_STOCK = 5  # the admin's "low stock" filter and the page's "only N left"
MALL_PAGE_SIZE = 20
# Points as part payment: how many points make ¥1, and the share of the goods (after the
# coupon) they may pay at most. Completing an order pays MALL_REWARD_POINTS_PER_YUAN per ¥1 paid.
MALL_POINTS_PER_YUAN = int(os.environ.get("MALL_POINTS_PER_YUAN", "100"))
MALL_POINTS_MAX_SHARE = Decimal(os.environ.get("MALL_POINTS_MAX_SHARE", "0.20"))
MALL_REWARD_POINTS_PER_YUAN = int(os.environ.get("MALL_REWARD_POINTS_PER_YUAN", "1"))
MALL_REVIEW_REWARD_POINTS = int(os.environ.get("MALL_REVIEW_REWARD_POINTS", "20"))
MALL_FLASH_SALES_SHOWN = 8  # the 限时购 strip: live sales, then the next to start
MALL_FLASH_SALE_SOON_HOURS = 24  # an upcoming sale shows its countdown this long before

# --- Payments: Stripe when both keys are set, otherwise a clearly labelled demo provider that
# completes a purchase offline. The webhook endpoint is /mall/stripe/webhook/.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_health_probes": {"()": "community.health.QuietHealthProbes"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["quiet_health_probes"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
