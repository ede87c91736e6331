"""Who is signed in and to which database: passed to the windows that need it."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.auth import SignedInUser, actor_for
from hotline.permissions import Action, Actor


@dataclass
class Session:
    user: SignedInUser
    db_target: str

    def __post_init__(self) -> None:
        self.user = SignedInUser.of(self.user)  # a plain record, whatever the caller had

    @property
    def actor(self) -> Actor:
        return actor_for(self.user)

    def can(self, action: Action) -> bool:
        return self.actor.can(action)
