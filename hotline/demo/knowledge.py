"""Demo articles: a few hundred business-environment answers made from the templates of
:mod:`hotline.demo.knowledge_data`, written in bulk with their first version and index.

The same ``seed`` gives the same articles. Most are published; a few are past their review
date, one is expired, a few are drafts or retired, so that every state shows in the window.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from hotline import audit, clock, seed
from hotline.db import write_transaction
from hotline.demo import knowledge_data as data
from hotline.demo.knowledge_data import Seed
from hotline.knowledge import articles, search
from hotline.knowledge.schema import KnowledgeArticle, KnowledgeSynonym
from hotline.knowledge.status import Status
from hotline.models import Department, tuples
from hotline.permissions import Actor

SYNONYMS = (
    ("社保", "社会保险", "五险"),
    ("公积金", "住房公积金"),
    ("执照", "营业执照"),
    ("开公司", "注册公司", "设立登记", "成立公司"),
    ("个体户", "个体工商户"),
    ("注销", "不经营", "关门"),
    ("报装", "接入", "新装"),
    ("过户", "转移登记"),
    ("房产证", "不动产权证书", "产权证"),
    ("报税", "纳税申报"),
    ("罚款", "行政处罚"),
    ("首违不罚", "首错免罚"),
    ("续期", "延续"),
    ("发票", "数电发票"),
    ("医保", "医疗保险"),
    ("养老金", "养老保险"),
    ("环保", "生态环境"),
    ("城管", "城市管理"),
    ("残保金", "残疾人就业保障金"),
    ("ktv", "歌厅", "歌舞厅", "娱乐场所"),
    ("马路", "道路"),
    ("挖开", "挖掘"),
    ("没裁员", "不裁员", "未裁员"),
    ("刻章", "公章"),
    ("推诿", "拖拉", "不作为"),
)


def seeds() -> Iterator[Seed]:
    """Every demo article, in a stable order."""
    for kind, short, who in data.ENTITY_KINDS:
        for action, verb, questions, materials, limit in data.REGISTRATIONS:
            yield Seed(
                f"{kind}{action}（{verb}）",
                tuple(q.format(short=short) for q in questions),
                f"# 适用\n{kind}：{who}。\n\n# 需要的材料\n- "
                + materials.format(kind=kind).replace("、", "\n- ")
                + f"\n\n# 办理\n1. 登录企业开办一网通办平台在线申请\n2. 或到市政务服务中心市场监管窗口办理\n\n"
                f"**{limit}**，不收取任何费用。",
                "企业开办",
                "SCJG",
                "市场主体登记管理条例",
                "国令第746号",
            )
    yield from data.SPECIAL_REGISTRATION
    for tax, who, period, relief in data.TAXES:
        for title, questions, answer in data.TAX_TOPICS:
            yield Seed(
                title.format(tax=tax),
                tuple(q.format(tax=tax) for q in questions),
                answer.format(who=who, period=period, relief=relief),
                "税费服务",
                "SWJ",
                "中华人民共和国税收征收管理法",
                "主席令第49号",
            )
    yield from data.TAX_SPECIAL
    for name, unit, personal in data.INSURANCES:
        department = "RSJ" if name != "住房公积金" else "ZJJ"
        for title, questions, answer in data.INSURANCE_TOPICS:
            yield Seed(
                title.format(name=name),
                tuple(q.format(name=name) for q in questions),
                answer.format(name=name, unit=unit, personal=personal),
                "社会保险",
                department,
                "中华人民共和国社会保险法" if name != "住房公积金" else "住房公积金管理条例",
                "主席令第35号" if name != "住房公积金" else "国令第350号",
            )
    yield from data.INSURANCE_SPECIAL
    for kind, what in data.PROPERTY_KINDS:
        for action, questions, materials, days in data.PROPERTY_ACTIONS:
            yield Seed(
                f"{kind}{action}",
                tuple(q.format(short=kind) for q in questions),
                f"# 适用\n{what}。\n\n# 申请材料\n- 不动产登记申请书\n- 申请人身份证明\n- "
                + materials.replace("、", "\n- ")
                + f"\n\n# 时限\n材料齐全的**{days}**办结，可在不动产登记中心或银行网点申请。",
                "不动产登记",
                "BDC",
                "不动产登记暂行条例",
                "国令第656号",
            )
    yield from data.PROPERTY_SPECIAL
    names = dict((code, name) for code, name, _, _ in seed.DEPARTMENTS)
    for permit, who, code, basis, number, promised in data.PERMITS:
        short = permit.replace("许可证", "许可")
        for title, questions, answer in data.PERMIT_TOPICS + data.PERMIT_TOPICS_MORE:
            yield Seed(
                title.format(permit=permit),
                tuple(q.format(short=short) for q in questions),
                answer.format(who=who, department=names[code], days=promised, basis=f"《{basis}》"),
                "行政许可",
                code,
                basis,
                number,
            )
    for name, code, provider, connection in data.UTILITIES:
        short = name.removeprefix("用")
        for title, questions, answer in data.UTILITY_TOPICS + data.UTILITY_TOPICS_MORE:
            yield Seed(
                title.format(name=name if title.startswith("{") or "企业" in title else short),
                tuple(q.format(short=short) for q in questions),
                answer.format(provider=provider, days=connection, short=short),
                "水电气网",
                code,
                "优化营商环境条例",
                "国令第722号",
            )
    for area, code, example in data.EXEMPTION_AREAS:
        for title, questions, answer in data.EXEMPTION_TOPICS:
            yield Seed(
                title.format(area=area),
                tuple(q.format(area=area, example=example) for q in questions),
                answer.format(area=area, example=example),
                "首错免罚",
                code,
                "中华人民共和国行政处罚法",
                "主席令第70号",
            )
    yield from data.COMPLAINT_ARTICLES
    yield from data.SUPPORT_ARTICLES
    title, questions, answer = data.SERVICE_HALL
    for _, district in seed.DISTRICTS:
        yield Seed(
            title.format(district=district),
            tuple(q.format(district=district) for q in questions),
            answer.format(district=district),
            "企业开办",
            "SPJ",
            "政务服务中心运行规范",
            "GB/T 32169-2015",
        )


def write_articles(actor: Actor | None = None, seed_value: int | None = 17) -> int:
    """Add the demo articles (none when the base has articles already); returns how many."""
    if KnowledgeArticle.select().exists():
        return 0
    actor = actor or Actor.command_line()
    rng = random.Random(seed_value)
    today = clock.today()
    now = clock.now().replace(microsecond=0)
    departments = dict(tuples(Department.select(Department.code, Department.id)))
    ids: list[int] = []
    with write_transaction():
        for number, item in enumerate(seeds()):
            status = Status.PUBLISHED
            roll = rng.random()
            review = today + dt.timedelta(days=rng.randint(30, 540))
            expires = None
            if number % 31 == 2:
                status = Status.DRAFT
            elif number % 35 == 4:
                status = Status.RETIRED
            elif roll < 0.08:
                review = today - dt.timedelta(days=rng.randint(1, 90))
            if number == 7:  # one policy that ran out (shown as expired, never suggested)
                expires = today - dt.timedelta(days=10)
            changed = now - dt.timedelta(days=rng.randint(1, 400), minutes=number)
            row = KnowledgeArticle.create(
                title=item.title[:100],
                questions="\n".join(item.questions),
                answer=item.answer,
                category=item.category,
                department=departments.get(item.department),
                source_name=item.source_name,
                source_number=item.source_number,
                effective_on=today - dt.timedelta(days=rng.randint(200, 2000)),
                expires_on=expires,
                review_on=review,
                status=status.value,
                version=1,
                initials=_initials(item.title),
                created_at=changed,
                updated_at=changed,
                updated_by_name=actor.name[:40],
            )
            articles.record_version(row, actor, ["created"], "")
            ids.append(row.id)
        search.index_articles(ids)
        if not KnowledgeSynonym.select().exists():
            KnowledgeSynonym.insert_many(
                [("，".join(group), now, actor.name[:40]) for group in SYNONYMS],
                fields=[
                    KnowledgeSynonym.words,
                    KnowledgeSynonym.updated_at,
                    KnowledgeSynonym.updated_by_name,
                ],
            ).execute()
        audit.record(
            actor, "knowledge.import", "knowledge", "", {"count": len(ids), "file": "demo"}
        )
    return len(ids)


def _initials(title: str) -> str:
    from hotline.exemption.search import pinyin_of

    return pinyin_of(title).initials[:100]
