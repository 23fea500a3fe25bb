"""The xAPI knobs, read from Django settings with defaults (the LRS_* settings live in lms/settings/base.py)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class LrsConfig:
    endpoint: str
    username: str
    password: str
    timeout: float
    batch_size: int

    @property
    def configured(self) -> bool:
        return bool(self.endpoint)

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


def lrs_config(**overrides: object) -> LrsConfig:
    values: dict[str, object] = {
        "endpoint": getattr(settings, "LRS_ENDPOINT", "").rstrip("/"),
        "username": getattr(settings, "LRS_USERNAME", ""),
        "password": getattr(settings, "LRS_PASSWORD", ""),
        "timeout": float(getattr(settings, "LRS_TIMEOUT", 10.0)),
        "batch_size": int(getattr(settings, "LRS_BATCH_SIZE", 200)),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return LrsConfig(**values)  # type: ignore[arg-type]


def platform_base_url() -> str:
    return settings.PLATFORM_BASE_URL.rstrip("/")


def platform_name() -> str:
    return getattr(settings, "XAPI_PLATFORM", "IA & enseignement")


def send_free_text() -> bool:
    """Whether free-text answers travel to the LRS verbatim. Off by default: a learner may type anything (their name,
    an e-mail, a phone number) and the LRS keeps it beyond the reach of erasure; the statement then carries the
    success and the answer's length only, and the text stays in the platform's own tables (docs/xapi.md)."""
    return bool(getattr(settings, "XAPI_SEND_FREE_TEXT", False))


def lease_seconds() -> float:
    """How long a claimed batch stays reserved to one worker; must exceed the HTTP time of a batch and its splits."""
    return float(getattr(settings, "XAPI_LEASE_SECONDS", 300))


def retry_base_seconds() -> float:
    return float(getattr(settings, "XAPI_RETRY_BASE_SECONDS", 5))


def retry_max_seconds() -> float:
    return float(getattr(settings, "XAPI_RETRY_MAX_SECONDS", 15 * 60))


def auth_backoff_seconds() -> float:
    """Pause after a 401/403: a configuration error will not fix itself in seconds."""
    return float(getattr(settings, "XAPI_AUTH_BACKOFF_SECONDS", 300))


def idle_poll_seconds() -> float:
    return float(getattr(settings, "XAPI_IDLE_POLL_SECONDS", 2))
