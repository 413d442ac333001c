"""The fonts of the documents: a Song-style face (Noto Serif CJK SC, from Debian's
fonts-noto-cjk) cut once to GB 2312 and the punctuation of official documents, so that WeasyPrint
subsets a 2.7 MB face per page instead of a 26 MB collection; the whole SC face stays the
fallback for rarer characters (㭎, 𠮷), and a character no face has is found before layout.

HarfBuzz (uharfbuzz) cuts the face in about 0.1 s a weight, so the cut faces are made on first
use under the fonts directory rather than shipped."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb

from casefiles.domain.errors import FontMissingError

SYSTEM_FONTS = Path("/usr/share/fonts/opentype/noto")
FACE_NAME = "Noto Serif CJK SC"
WEIGHTS = {"regular": "NotoSerifCJK-Regular.ttc", "bold": "NotoSerifCJK-Bold.ttc"}
VERSION = "1"  # raise when the cut changes, so prepared faces are made again

# what official documents print besides GB 2312: dashes, quotes, ellipsis, CJK punctuation,
# full-width forms, circled numbers, the geta mark 〓 that stands for a missing character
EXTRA_RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B),
                (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
                (0xFE30, 0xFE4F), (0xFF01, 0xFF5E)]


@dataclass(frozen=True)
class Fonts:
    """The prepared faces and what they cover."""

    regular: Path
    bold: Path
    fallback: Path
    fallback_index: int

    def lacks(self, text: str) -> list[str]:
        """The characters of ``text`` that neither the cut faces nor the fallback can print."""
        covered = _fallback_cmap(str(self.fallback), self.fallback_index)
        return sorted({ch for ch in text if ord(ch) > 0x7E and not ch.isspace()
                       and ord(ch) not in covered})


def gb2312() -> set[int]:
    """The code points of GB 2312 and the extra punctuation."""
    points: set[int] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    for lo, hi in EXTRA_RANGES:
        points.update(range(lo, hi + 1))
    return points


def _face_index(path: Path) -> int:
    blob = hb.Blob.from_file_path(str(path))
    for index in range(hb.Face(blob).count):
        face = hb.Face(blob, index)
        if FACE_NAME in (face.get_name(hb.OTNameIdPredefined.FULL_NAME) or ""):
            return index
    raise FontMissingError(f"{path} 中没有 {FACE_NAME} / {path} has no face {FACE_NAME}")


def _source(weight: str) -> Path:
    path = Path(os.environ.get("CASEFILES_FONT_SOURCE_DIR", SYSTEM_FONTS)) / WEIGHTS[weight]
    if not path.is_file():
        raise FontMissingError(
            f"缺少字体{path}，请运行 bash .ci/setup 安装 fonts-noto-cjk / "
            f"font {path} is missing: run bash .ci/setup to install fonts-noto-cjk")
    return path


def _cut(source: Path, index: int, target: Path) -> None:
    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    request = hb.SubsetInput()
    for point in gb2312():
        request.unicode_set.add(point)
    request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).invert()  # keep every feature
    cut = hb.subset(face, request)
    if cut is None:
        raise FontMissingError(f"无法裁剪字体{source} / could not cut {source}")
    tmp = target.with_suffix(f".{os.getpid()}.part")
    tmp.write_bytes(cut.blob.data)
    tmp.replace(target)  # atomic: a concurrent process sees the whole face or none


def prepare(fonts_dir: Path) -> Fonts:
    """The cut faces under ``fonts_dir`` (made on first use) and the fallback."""
    fonts_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    index = 0
    for weight in WEIGHTS:
        source = _source(weight)
        target = fonts_dir / f"casefiles-song-{weight}-v{VERSION}.otf"
        if not target.is_file():
            index = _face_index(source)
            _cut(source, index, target)
        paths[weight] = target
    fallback = _source("regular")
    return Fonts(regular=paths["regular"], bold=paths["bold"], fallback=fallback,
                 fallback_index=_face_index(fallback))


@cache
def _fallback_cmap(path: str, index: int) -> frozenset[int]:
    face = hb.Face(hb.Blob.from_file_path(path), index)
    return frozenset(face.unicodes)
