"""The centre's setting for incoming calls over HTTP (for softphones that can only open a URL):
off by default; when on, every workstation's app listens on ``127.0.0.1:PORT`` and accepts
``/call`` only with the shared token. Stored in the database (``Setting``), set by an
administrator, audited without the token itself.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass

from hotline import stored_settings
from hotline.errors import Problems
from hotline.i18n import N_
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

SETTING_KEY = "call_http_listener"
DEFAULT_PORT = 47800
MIN_TOKEN = 16


@dataclass(frozen=True)
class CallListenerPolicy:
    enabled: bool = False
    port: int = DEFAULT_PORT
    token: str = ""

    def validate(self) -> None:
        problems = Problems()
        if not isinstance(self.port, int) or not 1024 <= self.port <= 65535:
            problems.add("port", N_("端口应在 1024 到 65535 之间"))
        if self.enabled and len(self.token) < MIN_TOKEN:
            problems.add("token", N_("令牌至少 {count} 个字符（可点“生成”）"), count=MIN_TOKEN)
        if self.token and (not self.token.isascii() or any(c.isspace() for c in self.token)):
            problems.add("token", N_("令牌只能由字母、数字和符号组成，不含空格"))
        problems.raise_if_any()

    def described(self) -> dict[str, object]:
        """What the audit log records: never the token, only whether it changed."""
        return {"enabled": self.enabled, "port": self.port, "token_set": bool(self.token)}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def load() -> CallListenerPolicy:
    """The stored setting, or off when none is stored (or it cannot be read)."""
    value = stored_settings.stored(SETTING_KEY)
    if value is None:
        return CallListenerPolicy()
    try:
        data = json.loads(value)
        policy = CallListenerPolicy(bool(data["enabled"]), int(data["port"]), str(data["token"]))
        policy.validate()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.error("stored call listener setting is unreadable, listener off: %s", exc)
        return CallListenerPolicy()
    return policy


def save(actor: Actor, policy: CallListenerPolicy) -> CallListenerPolicy:
    """Validate and store ``policy`` (administrators); audited with before and after."""
    actor.require(Action.SETTINGS_MANAGE)
    policy.validate()
    before = load()
    after = policy.described()
    if before.token and policy.token != before.token:
        after["token_changed"] = True
    stored_settings.replace(
        actor,
        SETTING_KEY,
        json.dumps({"enabled": policy.enabled, "port": policy.port, "token": policy.token}),
        action="policy.call_listener",
        before=lambda: load().described(),
        after=after,
    )
    return policy
