"""An article (any version) as a one-document PDF: its answer laid out as on screen (headings,
lists, bold; links become their text), its question forms, department, policy source and dates.
Written only through :mod:`hotline.output_files`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

from hotline import output_files
from hotline.i18n import _, format_datetime
from hotline.knowledge import markup
from hotline.knowledge.articles import Article
from hotline.reports.fonts import FontSet, register_fonts
from hotline.reports.pages import a4_document
from hotline.reports.styles import PAGE_MARGIN, Styles, make_styles, section, text


def flowables(article: Article, styles: Styles) -> list[Flowable]:
    meta = [_("第 {version} 版").format(version=article.version), article.status.label]
    meta += [x for x in (article.category, article.department_name) if x]
    story: list[Flowable] = [
        Paragraph(text(article.title), styles.title),
        Paragraph(text(" · ".join(meta)), styles.subtitle),
    ]
    for block in markup.parse(article.answer):
        if block.kind in ("h1", "h2"):
            story.append(section(markup.inline_plain(block.lines[0]), styles))
        elif block.kind == "p":
            story.append(
                Paragraph(
                    "<br/>".join(markup.pdf_markup(line) for line in block.lines), styles.body
                )
            )
        else:
            items: list[Any] = [
                ListItem(Paragraph(markup.pdf_markup(item), styles.body), leftIndent=12)
                for item in block.lines
            ]
            story.append(
                ListFlowable(
                    items,
                    bulletType="1" if block.kind == "ol" else "bullet",
                    start=None if block.kind == "ol" else "•",
                    bulletFontName=styles.body.fontName,
                    bulletFontSize=9,
                    bulletFormat="%s." if block.kind == "ol" else None,
                    leftIndent=14,
                )
            )
    if article.questions:
        story.append(section(_("常见问法"), styles))
        story += [Paragraph(text(f"· {q}"), styles.body) for q in article.questions]
    facts = []
    source = " ".join(x for x in (article.source_name, article.source_number) if x)
    if source:
        facts.append(_("政策依据：{source}").format(source=source))
    for label, day in (
        (_("生效"), article.effective_on),
        (_("失效"), article.expires_on),
        (_("复核"), article.review_on),
    ):
        if day is not None:
            facts.append(f"{label} {day.isoformat()}")
    facts.append(
        _("{who} 于 {when} 修改").format(
            who=article.changed_by_name, when=format_datetime(article.changed_at)
        )
    )
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(text(f), styles.note) for f in facts]
    return story


def render_article(
    article: Article, out: str | os.PathLike[str] | IO[bytes], fonts: FontSet | None = None
) -> None:
    styles = make_styles(fonts or register_fonts())
    doc = a4_document(
        out,
        margin=PAGE_MARGIN,
        top=18 * mm,
        bottom=16 * mm,
        title=_("知识：{title}（第 {version} 版）").format(
            title=article.title, version=article.version
        ),
    )
    doc.build(flowables(article, styles))


def write_article_pdf(article: Article, target: Path) -> Path:
    """The article's PDF at ``target`` (complete or not at all)."""
    path = output_files.output_path(target, f"knowledge-{article.id}-v{article.version}.pdf")
    with output_files.replacing(path) as handle:
        render_article(article, handle)
    return path
