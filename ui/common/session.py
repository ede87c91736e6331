"""Who is signed in and to which database: passed to the windows that need it."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.auth import actor_for
from hotline.models import User
from hotline.permissions import Action, Actor


@dataclass
class Session:
    user: User
    db_target: str

    @property
    def actor(self) -> Actor:
        return actor_for(self.user)

    def can(self, action: Action) -> bool:
        return self.actor.can(action)
