"""Enforcement documents to A4 PDF: one Jinja2 template per kind under ``templates/documents``,
rendered by WeasyPrint with the prepared Song faces.

Safety: every value is escaped by Jinja2, and WeasyPrint may load only the project's stylesheet
and font files, so a party named ``<img src="file:///etc/passwd">`` prints as those characters
and no file or URL is ever read on behalf of user text. Characters no font has are replaced by
〓 before layout and named in a note on the document (a missing glyph also slows layout
badly: WeasyPrint issue #2811)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import cn2an
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from casefiles.adapters.fonts import Fonts
from casefiles.domain.documents import DOSSIER
from casefiles.domain.errors import FetchRefusedError

# document kind → its template
TEMPLATES: dict[str, str] = {
    "立案审批表": "filing.html", "询问笔录": "inquiry.html", "现场检查记录": "inspection.html",
    "案件调查报告": "report.html", "行政处罚告知书": "notice.html",
    "听证告知书": "hearing_rights.html", "听证会通知书": "hearing_notice.html",
    "听证笔录": "hearing_record.html", "法制审核意见书": "review.html",
    "集体讨论记录": "discussion.html", "行政处罚决定书": "decision.html",
    "不予行政处罚决定书": "no_penalty.html", "涉嫌犯罪案件移送书": "transfer.html",
    "文书送达回执": "service.html", "罚款催告书": "reminder.html",
    "强制执行申请书": "enforcement.html", "结案审批表": "closing.html",
    "先行登记保存证据通知书": "preservation.html", "不予立案审批表": "decline.html",
    "终止调查审批表": "terminate.html", "延长办案期限审批表": "extend.html",
    "延期（分期）缴纳罚款批准书": "instalments.html", "撤销行政处罚决定书": "revoke.html",
    "案件来源登记表": "source.html", "不予立案告知书": "decline_notice.html",
    "询问通知书": "summons.html", "勘验笔录": "survey.html", "抽样取证凭证": "sample.html",
    "鉴定委托书": "appraisal.html", "先行登记保存证据处理决定书": "handling.html",
    "案件处理呈批表": "approval.html", "陈述申辩笔录": "statement.html",
    "陈述申辩复核意见书": "statement_review.html", "听证会报告书": "hearing_report.html",
    DOSSIER: "dossier.html",
}
GETA = "〓"
_ARTICLE = re.compile(r"第(\d+)(条|款|项)")


class AssetFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for documents: the project's own files in ``allowed``, nothing
    else (no other file, no network)."""

    def __init__(self, allowed: set[Path]) -> None:
        super().__init__(allowed_protocols={"file"})
        self.allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is one of the allowed files; refuse anything else."""
        parts = urlsplit(url)
        if parts.scheme != "file" or Path(unquote(parts.path)).resolve() not in self.allowed:
            raise FetchRefusedError(f"documents load only the project's assets, not {url[:200]}")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF, its page count, and the characters no font could print."""

    pdf: bytes
    pages: int
    missing: list[str]


def law(citation: str) -> str:
    """安全生产法第99条第1项 → 《中华人民共和国安全生产法》第九十九条第一项 (each law of a
    list separated by ；or 、 is handled; text that names no law is returned as it is)."""
    def one(part: str) -> str:
        m = re.match(r"^(.*?法)((?:第\d+(?:条|款|项))*)(.*)$", part)
        if not m or not m.group(1):
            return part
        name = m.group(1)
        name = name if name.startswith("中华人民共和国") else f"中华人民共和国{name}"
        articles = _ARTICLE.sub(lambda a: f"第{cn2an.an2cn(a.group(1))}{a.group(2)}", m.group(2))
        return f"《{name}》{articles}{m.group(3)}"
    return "、".join(one(p) for p in re.split(r"[、]", citation))


def cn_number(value: Any) -> str:
    """15 → 十五 (for periods written out in words)."""
    return str(cn2an.an2cn(str(value)))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _replace(value: Any, missing: set[str]) -> Any:
    if isinstance(value, str):
        return "".join(GETA if ch in missing else ch for ch in value)
    if isinstance(value, dict):
        return {k: _replace(v, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, missing) for v in value]
    return value


class Renderer:
    """Renders documents; build one per process and reuse it (fonts and styles load once)."""

    def __init__(self, templates_dir: Path, fonts: Fonts) -> None:
        self.dir = templates_dir / "documents"
        self.fonts = fonts
        self.fetch = AssetFetcher({p.resolve() for p in (fonts.regular, fonts.bold)} | {
            p.resolve() for p in self.dir.glob("*.css")})
        self.env = Environment(loader=FileSystemLoader(self.dir), undefined=StrictUndefined,
                               autoescape=select_autoescape(default=True,
                                                            default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters["law"] = law
        self.env.filters["cn"] = cn_number
        self.font_config = FontConfiguration()
        faces = "".join(
            f"@font-face {{ font-family: CasefilesSong; font-weight: {weight}; "
            f"src: url({path.resolve().as_uri()}); }}\n"
            for weight, path in (("normal", fonts.regular), ("bold", fonts.bold)))
        self.stylesheet = CSS(string=faces + (self.dir / "style.css").read_text("utf-8"),
                              font_config=self.font_config, url_fetcher=self.fetch)

    def printable(self, facts: Any) -> tuple[Any, list[str]]:
        """``facts`` (text, or dicts and lists holding text) with every character no font has
        replaced by 〓, and those characters named (``U+XXXX``)."""
        missing = set(self.fonts.lacks("".join(_strings(facts))))
        if missing:
            facts = _replace(facts, missing)
        return facts, [f"U+{ord(ch):04X}" for ch in sorted(missing)]

    def html(self, template: str, facts: dict[str, Any], **extra: Any) -> tuple[str, list[str]]:
        """The HTML of a document, and the characters replaced because no font has them."""
        facts, named = self.printable(facts)
        page = self.env.get_template(template).render(d=facts, b=facts.get("body", {}),
                                                      missing=named, **extra)
        return page, named

    def render_html(self, page: str) -> tuple[bytes, int]:
        """PDF bytes and page count of a page of HTML made by :meth:`html`."""
        document = HTML(string=page, url_fetcher=self.fetch).render(
            font_config=self.font_config, stylesheets=[self.stylesheet])
        return document.write_pdf(), len(document.pages)

    def render(self, kind: str, facts: dict[str, Any], created: str) -> Rendered:
        """Render a document of ``kind`` from its facts; ``created`` (ISO time of issue) is
        the PDF's date, so the same facts always give the same bytes."""
        return self.render_template(TEMPLATES[kind], facts, created)

    def render_template(self, template: str, facts: dict[str, Any], created: str) -> Rendered:
        """Render ``template`` from the facts as :meth:`render` does (an inspection's document
        names its own template: its kinds share names with a case's)."""
        page, missing = self.html(template, facts, created=created)
        pdf, pages = self.render_html(page)
        return Rendered(pdf=pdf, pages=pages, missing=missing)
