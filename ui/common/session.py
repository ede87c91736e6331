"""Who is signed in and to which database: passed to the windows that need it."""

from __future__ import annotations

from dataclasses import dataclass

from hotline import access
from hotline.auth import SignedInUser, actor_for
from hotline.permissions import Action, Actor


@dataclass
class Session:
    user: SignedInUser
    db_target: str

    def __post_init__(self) -> None:
        self.user = SignedInUser.of(self.user)  # a plain record, whatever the caller had
        # Every case list of this program is read for this person from now on (a department:
        # its own cases only), whichever window asks.
        access.begin_session(self.actor)

    @property
    def actor(self) -> Actor:
        return actor_for(self.user)

    def can(self, action: Action) -> bool:
        return self.actor.can(action)
