"""Keeping reply texts: a person's own and the centre's shared ones.

Anyone signed in keeps private texts, which nobody else sees. Shared texts are read by
everyone and written only by roles with ``reply_text.shared`` (shift leads and administrators);
every change of a shared text is written to the audit log in the same transaction. A text is
validated with every problem at once; an unknown placeholder is one of them.

A code is unique among the shared texts and among each person's own; a person's own text
with a shared text's code takes its place for that person (:func:`for_field`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from peewee import Expression

from hotline import audit, case_view, cases, clock
from hotline.db import write_transaction
from hotline.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    Problem,
    Problems,
    ValidationError,
)
from hotline.i18n import N_
from hotline.models import User
from hotline.permissions import Action, Actor
from hotline.reply_texts import placeholders
from hotline.reply_texts.kinds import TextKind
from hotline.reply_texts.schema import BODY_LIMIT, CODE_LIMIT, TITLE_LIMIT, ReplyText
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text

CODE = re.compile(rf"^[a-z][a-z0-9_]{{0,{CODE_LIMIT - 1}}}$")
MSG_REQUIRED = N_("此项必填")
MSG_CODE = N_("简码须以字母开头，由 1–{limit} 位字母、数字或下划线组成（如 dfsl）")
MSG_CODE_TAKEN = N_("简码 {code} 已被另一条{scope}常用语使用")
MSG_NO_KIND = N_("请至少选择一种适用的文本")
MSG_UNKNOWN_KIND = N_("未知的适用文本：{kinds}")
MSG_NOT_FOUND = N_("常用语不存在或已被删除")
MSG_CHANGED = N_("常用语已被他人修改，请重新打开后再改")
MSG_NO_USER = N_("命令行没有登录用户，不能保存个人常用语")
SHARED_LABEL = N_("共享")
PRIVATE_LABEL = N_("个人")


@dataclass(frozen=True)
class TextInfo:
    """A reply text as screens show it."""

    id: int
    code: str
    title: str
    body: str
    kinds: tuple[str, ...]  # TextKind codes
    shared: bool
    version: int
    updated_at: dt.datetime
    updated_by: str
    initials: str  # the title's pinyin initials (答复已办结 -> dfybj), for filtering

    @classmethod
    def of(cls, row: ReplyText) -> TextInfo:
        return cls(
            id=row.id,
            code=row.code,
            title=row.title,
            body=row.body,
            kinds=split_kinds(row.kinds),
            shared=row.owner_id is None,
            version=row.version,
            updated_at=row.updated_at,
            updated_by=row.updated_by_name,
            initials=initials(row.title),
        )

    def matches(self, query: str) -> bool:
        """Whether ``query`` (lower case) is in the code, the title or its pinyin initials."""
        q = query.strip().lower()
        return not q or q in self.code or q in self.title.lower() or q in self.initials


@lru_cache(maxsize=4096)
def initials(title: str) -> str:
    from hotline.exemption.search import pinyin_of

    return pinyin_of(title).initials


def split_kinds(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(",") if part)


@dataclass(frozen=True)
class TextInput:
    """What a person typed for a text (any of it may be wrong)."""

    code: str
    title: str
    body: str
    kinds: Sequence[str]
    shared: bool = False


def _visible(actor: Actor) -> Expression:
    mine = ReplyText.owner == actor.user_id if actor.user_id is not None else None
    shared = ReplyText.owner.is_null()
    return shared if mine is None else (shared | mine)


def visible_texts(actor: Actor) -> list[TextInfo]:
    """The shared texts and ``actor``'s own, by code (own before shared for the same code)."""
    rows = ReplyText.select().where(_visible(actor))
    found = [TextInfo.of(row) for row in rows]
    return sorted(found, key=lambda t: (t.code, t.shared, t.id))


def for_field(texts: Iterable[TextInfo], kind: str) -> list[TextInfo]:
    """The texts offered in a field of ``kind``: one per code, the person's own first."""
    chosen: dict[str, TextInfo] = {}
    for text in sorted(texts, key=lambda t: (t.code, t.shared, t.id)):
        if kind in text.kinds:
            chosen.setdefault(text.code, text)
    return list(chosen.values())


def _may_write(actor: Actor, shared: bool) -> None:
    if shared:
        actor.require(Action.REPLY_TEXT_SHARED)
    elif actor.user_id is None:
        raise PermissionDenied(MSG_NO_USER)


def _own_row(actor: Actor, text_id: int) -> ReplyText:
    row = ReplyText.get_or_none(ReplyText.id == text_id)
    if row is None or (row.owner_id is not None and row.owner_id != actor.user_id):
        raise NotFound(MSG_NOT_FOUND)  # another person's private text: as if there were none
    return row


def check_input(
    entered: TextInput, *, own_id: int | None, owner_id: int | None, prefix: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """The stored fields of ``entered`` and every problem with it (fields named with
    ``prefix``: an import names its columns)."""
    problems = Problems()
    code = visible_text(entered.code).lower()
    if not code:
        problems.add(prefix + "code", MSG_REQUIRED)
    elif not CODE.match(code):
        problems.add(prefix + "code", MSG_CODE, limit=CODE_LIMIT)
    else:
        scope = ReplyText.owner.is_null() if owner_id is None else ReplyText.owner == owner_id
        taken = ReplyText.select().where(scope, ReplyText.code == code)
        if own_id is not None:
            taken = taken.where(ReplyText.id != own_id)
        if taken.exists():
            problems.add(
                prefix + "code",
                MSG_CODE_TAKEN,
                code=code,
                scope=SHARED_LABEL if owner_id is None else PRIVATE_LABEL,
            )
    title = visible_text(entered.title)
    if not title:
        problems.add(prefix + "title", MSG_REQUIRED)
    elif not problems.too_long(prefix + "title", title, TITLE_LIMIT) and has_control_characters(
        title
    ):
        problems.add(prefix + "title", MSG_CONTROL)
    body = (entered.body or "").strip()
    if not body:
        problems.add(prefix + "body", MSG_REQUIRED)
    elif not problems.too_long(prefix + "body", body, BODY_LIMIT):
        if has_control_characters(body):
            problems.add(prefix + "body", MSG_CONTROL)
        problems.items.extend(placeholders.problems_in(body, prefix + "body"))
    kinds = []
    unknown = []
    for raw in entered.kinds:
        member = TextKind.parse(raw)
        if member is None:
            unknown.append(str(raw))
        elif member.value not in kinds:
            kinds.append(member.value)
    if unknown:
        problems.add(prefix + "kinds", MSG_UNKNOWN_KIND, kinds="、".join(unknown))
    elif not kinds:
        problems.add(prefix + "kinds", MSG_NO_KIND)
    ordered = [k.value for k in TextKind if k.value in kinds]
    fields = {"code": code, "title": title, "body": body, "kinds": ",".join(ordered)}
    return fields, problems.items


def _audited(row: ReplyText) -> dict[str, Any]:
    return {"code": row.code, "title": row.title, "kinds": row.kinds, "body": row.body}


def save_text(
    actor: Actor,
    entered: TextInput,
    *,
    text_id: int | None = None,
    expected_version: int | None = None,
) -> TextInfo:
    """Add a text (``text_id`` None) or change one; a shared text's change is audited.
    Whether a text is shared is chosen when it is added and stays."""
    with write_transaction():
        if text_id is None:
            shared = entered.shared
            _may_write(actor, shared)
            owner_id = None if shared else actor.user_id
            before = None
        else:
            before = _own_row(actor, text_id)
            shared = before.owner_id is None
            _may_write(actor, shared)
            owner_id = before.owner_id
            if expected_version is not None and before.version != expected_version:
                raise ConflictError(MSG_CHANGED)
        fields, problems = check_input(entered, own_id=text_id, owner_id=owner_id)
        if problems:
            raise ValidationError(problems)
        now = clock.now()
        stamp = {"updated_at": now, "updated_by_name": actor.name[:40]}
        if before is None:
            row = ReplyText.create(owner=owner_id, created_at=now, version=1, **fields, **stamp)
            if shared:
                audit.record(actor, "reply_text.create", "reply_text", row.id, _audited(row))
        else:
            ReplyText.update(version=ReplyText.version + 1, **fields, **stamp).where(
                ReplyText.id == before.id
            ).execute()
            row = ReplyText.get_by_id(before.id)
            if shared:
                audit.record(
                    actor,
                    "reply_text.update",
                    "reply_text",
                    row.id,
                    {"before": _audited(before), "after": _audited(row)},
                )
    return TextInfo.of(row)


def delete_text(actor: Actor, text_id: int, expected_version: int | None = None) -> None:
    with write_transaction():
        row = _own_row(actor, text_id)
        shared = row.owner_id is None
        _may_write(actor, shared)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(MSG_CHANGED)
        ReplyText.delete().where(ReplyText.id == row.id).execute()
        if shared:
            audit.record(actor, "reply_text.delete", "reply_text", row.id, _audited(row))


def operator_name(actor: Actor) -> str:
    """The signed-in person's display name ({经办人}); the actor's name otherwise."""
    if actor.user_id is not None:
        user = User.get_or_none(User.id == actor.user_id)
        if user is not None:
            return str(user.display_name)
    return actor.name


@dataclass(frozen=True)
class CaseValues:
    """A case's placeholder values as ``actor`` may see them (the management page's preview)."""

    case_no: str
    values: dict[str, str]


def values_for_case(actor: Actor, case_no: str) -> CaseValues:
    """The placeholder values of the case numbered ``case_no`` (NotFound when there is none,
    PermissionDenied when ``actor`` may not see it)."""
    case = cases.get_by_number(case_no.strip())
    view = case_view.load_case_window(case.id, actor)
    return CaseValues(
        view.case.case_no,
        placeholders.case_values(view, operator_name(actor), clock.today()),
    )
