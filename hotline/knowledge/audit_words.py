"""The knowledge base's audit entries in words (called by :mod:`hotline.audit_text`)."""

from __future__ import annotations

from typing import Any

from hotline.i18n import N_, _

_SENTENCES = {
    "knowledge.create": N_("新建知识“{title}”（编号 {id}）"),
    "knowledge.update": N_("修改知识“{title}”（编号 {id}，第 {version} 版）：{fields}"),
    "knowledge.publish": N_("发布知识“{title}”（编号 {id}，第 {version} 版）"),
    "knowledge.retire": N_("停用知识“{title}”（编号 {id}），原因：{note}"),
    "knowledge.flag": N_("标记知识“{title}”（编号 {id}，第 {version} 版）有误或过时：{note}"),
    "knowledge.resolve_flag": N_("处理知识“{title}”（编号 {id}）的标记：{resolution}"),
    "knowledge.synonyms": N_("修改知识库同义词（{after} 组）"),
    "knowledge.use": N_("用知识“{title}”（编号 {article}，第 {version} 版）当场答复案件 {id}"),
    "knowledge.import": N_("导入知识 {count} 条（{file}）"),
    "knowledge.export": N_("导出知识 {count} 条到 {file}"),
}


def sentence(action: str, entity_id: str, detail: dict[str, Any]) -> str | None:
    key = _SENTENCES.get(action)
    if key is None:
        return None
    from hotline.knowledge.articles import FIELD_LABELS

    changed = detail.get("changed")
    fields = "、".join(
        _(FIELD_LABELS[k])
        for k in (changed if isinstance(changed, list) else [])
        if k in FIELD_LABELS
    )
    values = {
        "title": detail.get("title", ""),
        "id": entity_id,
        "version": detail.get("version", "?"),
        "note": detail.get("note", ""),
        "resolution": detail.get("resolution", ""),
        "after": detail.get("after", "?"),
        "article": detail.get("article", "?"),
        "count": detail.get("count", "?"),
        "file": detail.get("file", ""),
        "fields": fields or _("无"),
    }
    return _(key).format(**values)
