"""The case file (案卷) as one PDF: cover and table of contents rendered from the template, then
the stored PDF of every document exactly as issued, each page stamped at its top right with
its page number in the file (卷内页号; cover and contents are not numbered, as archives do), and
last the 卷内备考表 (the back page of the same rendering, moved behind the documents)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter

from casefiles.adapters.pdf import Rendered, Renderer

_STAMPS = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; @bottom-center {{ content: none; }} }}
div {{ position: relative; height: 297mm; page-break-after: always; }}
div:last-child {{ page-break-after: auto; }}
span {{ position: absolute; top: 12mm; right: 18mm; font-size: 14pt; }}
</style></head><body>{pages}</body></html>"""


@dataclass(frozen=True)
class Part:
    """One stored document of the case file, in archive order."""

    kind: str
    number: str
    issued_on: str
    remark: str
    pdf: bytes


def _stamps(renderer: Renderer, count: int) -> PdfReader:
    """``count`` blank A4 pages, each with its number at the top right."""
    pages = "".join(f"<div><span>{n}</span></div>" for n in range(1, count + 1))
    pdf, _ = renderer.render_html(_STAMPS.format(pages=pages))
    return PdfReader(BytesIO(pdf))


def assemble(renderer: Renderer, facts: dict[str, Any], parts: list[Part],
             created: str) -> Rendered:
    """The case file of ``parts``; the contents give the page each document starts on."""
    readers = [PdfReader(BytesIO(p.pdf)) for p in parts]
    entries, page = [], 1
    for part, reader in zip(parts, readers, strict=True):
        count = len(reader.pages)
        entries.append({"kind": part.kind, "number": part.number, "issued_on": part.issued_on,
                        "remark": part.remark, "first": page, "last": page + count - 1})
        page += count
    total = page - 1
    front, missing = renderer.html("dossier.html", facts, created=created, entries=entries,
                                   total_pages=total)
    front_pdf, front_pages = renderer.render_html(front)
    writer = PdfWriter()
    front_reader = PdfReader(BytesIO(front_pdf))
    for front_page in front_reader.pages[:-1]:
        writer.add_page(front_page)
    stamps = _stamps(renderer, total) if total else None
    number = 0
    for reader in readers:
        for source in reader.pages:
            assert stamps is not None
            writer.add_page(source).merge_page(stamps.pages[number])
            number += 1
    writer.add_page(front_reader.pages[-1])  # 卷内备考表
    writer.add_metadata({"/Title": f"案卷 {facts.get('number', '')}",
                         "/Author": str(facts.get("agency", ""))})
    out = BytesIO()
    writer.write(out)
    return Rendered(pdf=out.getvalue(), pages=front_pages + total, missing=missing)
