"""The knowledge base's tables and the migration that creates them.

``KnowledgeArticle`` is an article as it is now; each change writes a full copy into
``KnowledgeVersion`` (who, when, what changed), so an old version stays readable and a case
answered with version 3 keeps showing version 3 (``CaseKnowledge``). ``KnowledgeToken`` is
the search index (character bigrams, as the case search, one row per token and article with
the weight of the field it came from), ``KnowledgeSynonym`` the editors' groups of words that
mean the same thing, ``KnowledgeFlag`` an operator's report that an article is wrong or
outdated.

Migration 16 creates them on SQLite and PostgreSQL alike (``safe``: idempotent).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from hotline.models import BaseModel, Case, Department, User

SCHEMA_VERSION = 16


class KnowledgeArticle(BaseModel):
    id = AutoField()
    title = CharField(max_length=100)
    questions = TextField(default="")  # one way a caller asks per line
    answer = TextField()  # the small formatting language of hotline.knowledge.markup
    category = CharField(max_length=30, index=True)
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    department_id: int | None
    source_name = CharField(max_length=200, default="")
    source_number = CharField(max_length=100, default="", index=True)  # 文号
    effective_on = DateField(null=True)
    expires_on = DateField(null=True)
    review_on = DateField(null=True)
    status = CharField(max_length=12, index=True)  # hotline.knowledge.articles.Status
    version = IntegerField(default=1)
    initials = CharField(max_length=100, default="")  # pinyin initials of the title
    created_at = DateTimeField()
    updated_at = DateTimeField()
    updated_by_name = CharField(max_length=40)

    class Meta:
        table_name = "knowledge_article"


class KnowledgeVersion(BaseModel):
    id = AutoField()
    article = ForeignKeyField(KnowledgeArticle, backref="versions", on_delete="CASCADE")
    article_id: int
    version = IntegerField()
    title = CharField(max_length=100)
    questions = TextField(default="")
    answer = TextField()
    category = CharField(max_length=30)
    department_id = IntegerField(null=True)
    source_name = CharField(max_length=200, default="")
    source_number = CharField(max_length=100, default="")
    effective_on = DateField(null=True)
    expires_on = DateField(null=True)
    review_on = DateField(null=True)
    status = CharField(max_length=12)
    changed_at = DateTimeField()
    changed_by = ForeignKeyField(User, null=True)
    changed_by_id: int | None
    changed_by_name = CharField(max_length=40)
    change = TextField(default="")  # what changed, as the history shows it (JSON list)
    note = TextField(default="")

    class Meta:
        table_name = "knowledge_version"
        indexes = ((("article", "version"), True),)


class KnowledgeToken(BaseModel):
    token = CharField(max_length=8)
    article = ForeignKeyField(KnowledgeArticle, on_delete="CASCADE", index=False)
    article_id: int
    weight = IntegerField()

    class Meta:
        table_name = "knowledge_token"
        primary_key = False
        indexes = (
            (("token", "article", "weight"), True),
            (("article",), False),
        )


class KnowledgeSynonym(BaseModel):
    id = AutoField()
    words = TextField()  # the group's words, separated by "，"
    updated_at = DateTimeField()
    updated_by_name = CharField(max_length=40)

    class Meta:
        table_name = "knowledge_synonym"


class KnowledgeFlag(BaseModel):
    id = AutoField()
    article = ForeignKeyField(KnowledgeArticle, backref="flags", on_delete="CASCADE")
    article_id: int
    version = IntegerField()
    reason = CharField(max_length=12)  # wrong / outdated
    note = TextField()
    flagged_at = DateTimeField(index=True)
    flagged_by = ForeignKeyField(User, null=True)
    flagged_by_id: int | None
    flagged_by_name = CharField(max_length=40)
    resolved_at = DateTimeField(null=True)
    resolved_by_name = CharField(max_length=40, null=True)
    resolution = TextField(null=True)

    class Meta:
        table_name = "knowledge_flag"
        indexes = ((("resolved_at", "id"), False),)


class CaseKnowledge(BaseModel):
    """An article (and its version) a case was answered with."""

    id = AutoField()
    case = ForeignKeyField(Case, backref="knowledge", on_delete="CASCADE")
    case_id: int
    article = ForeignKeyField(KnowledgeArticle, backref="uses", on_delete="CASCADE")
    article_id: int
    version = IntegerField()
    used_at = DateTimeField(index=True)
    used_by_name = CharField(max_length=40)

    class Meta:
        table_name = "case_knowledge"
        indexes = ((("case", "id"), False), (("article", "used_at"), False))


MODELS: list[type[BaseModel]] = [
    KnowledgeArticle,
    KnowledgeVersion,
    KnowledgeToken,
    KnowledgeSynonym,
    KnowledgeFlag,
    CaseKnowledge,
]
TABLES = tuple(model._meta.table_name for model in MODELS)


def create_tables(db: Database) -> None:
    """Migration 16 (listed in :data:`hotline.migrations.MIGRATIONS`)."""
    db.create_tables(MODELS, safe=True)
