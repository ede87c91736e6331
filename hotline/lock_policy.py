"""The centre's idle-lock policy: the longest idle time before a workstation locks, and
whether users may switch the lock off. Stored in the database (``Setting``), set by an
administrator; each workstation's own choice (its settings) is capped by it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from hotline import stored_settings
from hotline.errors import Problems
from hotline.i18n import N_
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

SETTING_KEY = "idle_lock_policy"
LONGEST = 240  # minutes: what a workstation can be set to at all


@dataclass(frozen=True)
class IdleLockPolicy:
    max_minutes: int = 30
    allow_off: bool = False  # whether a user may choose "never lock"

    def validate(self) -> None:
        problems = Problems()
        if not isinstance(self.max_minutes, int) or not 1 <= self.max_minutes <= LONGEST:
            problems.add(
                "max_minutes", N_("锁定时间上限应在 1 到 {longest} 分钟之间"), longest=LONGEST
            )
        problems.raise_if_any()

    def effective(self, chosen: int) -> int:
        """The minutes a workstation locks after, for the user's ``chosen`` (0: never)."""
        if chosen <= 0:
            return 0 if self.allow_off else self.max_minutes
        return min(chosen, self.max_minutes)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def load() -> IdleLockPolicy:
    """The stored policy, or the default when none is stored (or it cannot be read)."""
    value = stored_settings.stored(SETTING_KEY)
    if value is None:
        return IdleLockPolicy()
    try:
        data = json.loads(value)
        policy = IdleLockPolicy(int(data["max_minutes"]), bool(data["allow_off"]))
        policy.validate()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.error("stored idle-lock policy is unreadable, using the default: %s", exc)
        return IdleLockPolicy()
    return policy


def save(actor: Actor, policy: IdleLockPolicy) -> IdleLockPolicy:
    """Validate and store ``policy`` (administrators); audited with before and after."""
    actor.require(Action.SETTINGS_MANAGE)
    policy.validate()
    value = json.dumps(policy.as_dict())
    stored_settings.replace(
        actor,
        SETTING_KEY,
        value,
        action="policy.idle_lock",
        before=lambda: load().as_dict(),
        after=policy.as_dict(),
    )
    return policy
