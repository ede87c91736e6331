"""The reply texts' table and the migration that creates it (with the centre's first texts).

``owner`` is the person whose private text it is; a shared text (the centre's) has none.
``kinds`` lists the :class:`~hotline.reply_texts.kinds.TextKind` codes of the fields the text
is offered in, comma-separated. ``version`` is bumped by every change (optimistic locking).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from hotline import clock
from hotline.i18n import N_
from hotline.models import BaseModel, User

SCHEMA_VERSION = 17
CODE_LIMIT = 20
TITLE_LIMIT = 60
BODY_LIMIT = 2000


class ReplyText(BaseModel):
    id = AutoField()
    owner = ForeignKeyField(User, null=True, backref="reply_texts", on_delete="CASCADE")
    owner_id: int | None
    code = CharField(max_length=CODE_LIMIT)
    title = CharField(max_length=TITLE_LIMIT)
    body = TextField()
    kinds = CharField(max_length=80)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    updated_by_name = CharField(max_length=40)
    version = IntegerField(default=1)

    class Meta:
        table_name = "reply_text"
        indexes = ((("owner", "code"), False),)


MODELS: list[type[BaseModel]] = [ReplyText]

# The centre's first shared texts (code, title, kinds, body), in Chinese; the English
# catalogue translates the titles and bodies for an English-language desk's new database.
DEFAULTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "dfsl",
        N_("答复：已受理并转办"),
        "reply",
        N_(
            "{企业名称}：您好！您反映的“{诉求标题}”（案件编号 {案件编号}）已于 {受理日期} 受理，"
            "现已转{承办单位}办理，办理期限至 {办理期限}。办理结果将及时答复您。"
        ),
    ),
    (
        "dfbj",
        N_("答复：已办结"),
        "reply",
        N_(
            "{企业名称}：您好！您反映的{诉求类别}问题（案件编号 {案件编号}）经{承办单位}核实办理，"
            "现已办结。如对办理结果有意见，可再次来电。"
        ),
    ),
    (
        "dfzx",
        N_("答复：咨询当场解答"),
        "reply",
        N_("已向来电人{来电人}当场解答咨询事项，来电人表示清楚。"),
    ),
    (
        "hfmy",
        N_("回访：满意"),
        "callback",
        N_("{今天}回访{企业名称}，来电人{来电人}对{承办单位}的办理结果表示满意。"),
    ),
    (
        "hfwlx",
        N_("回访：未联系上"),
        "callback,note",
        N_("{今天}按来电号码回访，多次拨打无人接听，未能联系上来电人。"),
    ),
    (
        "bzcd",
        N_("备注：已催促承办单位"),
        "note",
        N_("{今天}电话联系{承办单位}，催促其在 {办理期限} 前答复。经办人：{经办人}。"),
    ),
    (
        "thfzz",
        N_("退回：不属本单位职责"),
        "return",
        N_("经核实，“{诉求标题}”所涉事项不属于{承办单位}的职责范围，请中心重新派单。"),
    ),
    (
        "dbcq",
        N_("督办：超期未答复"),
        "supervision",
        N_(
            "案件 {案件编号}（{企业名称}）办理期限为 {办理期限}，至今未答复。"
            "请{承办单位}抓紧办理，并在规定时限内答复中心。"
        ),
    ),
)


def create_tables(db: Database) -> None:
    """Migration 17 (listed in :data:`hotline.migrations.MIGRATIONS`): the table, and the
    default shared texts when it holds none yet (idempotent)."""
    db.create_tables(MODELS, safe=True)
    if ReplyText.select().exists():
        return
    from hotline.i18n import _
    from hotline.reply_texts.placeholders import in_language

    now = clock.now()
    ReplyText.insert_many(
        [
            {
                "owner": None,
                "code": code,
                "title": _(title),
                "body": in_language(_(body)),
                "kinds": kinds,
                "created_at": now,
                "updated_at": now,
                "updated_by_name": "",
                "version": 1,
            }
            for code, title, kinds, body in DEFAULTS
        ]
    ).execute()
