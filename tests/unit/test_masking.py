"""Item 4 of issue 11: ID numbers and phone numbers in published free text are masked however
they are spelt: separated by spaces or dashes, glued to a prefix, with a country code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casefiles.domain.masking import mask_text

SEPARATORS = ["", "", " ", "-", "\u3000", "."]
ID_PREFIXES = ["", "ID", "身份证号", "身份证：", "证件号码 ", "当事人王大明（"]
PHONE_PREFIXES = ["", "电话", "联系电话:", "tel ", "+86", "+86 ", "0086", "0086-", "手机（"]
SUFFIXES = ["", "）", "。", "号", "，住衡山县", " 已核实"]


@st.composite
def spelt(draw: st.DrawFn, digits: st.SearchStrategy[str]) -> tuple[str, str]:
    """A number and one way of writing it: cut into groups with a separator between them."""
    number = draw(digits)
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=5)))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part
    return number, text


ID_NUMBERS = st.builds(lambda region, birth, seq, check: region + birth + seq + check,
                       st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
                       st.dates().map(lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}"),
                       st.from_regex(r"[0-9]{3}", fullmatch=True),
                       st.sampled_from([*"0123456789", "X", "x"]))
MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit() or c in "*Xx")


@given(spelt(ID_NUMBERS), st.sampled_from(ID_PREFIXES), st.sampled_from(SUFFIXES))
def test_an_id_number_is_masked_however_it_is_spelt(number_and_text: tuple[str, str],
                                                    prefix: str, suffix: str) -> None:
    """The birth date never shows: eight stars stand where it was."""
    number, text = number_and_text
    masked = _digits(mask_text(prefix + text + suffix))
    assert number not in masked
    assert number[:6] + "*" * 8 + number[14:] in masked


@given(spelt(MOBILES), st.sampled_from(PHONE_PREFIXES), st.sampled_from(SUFFIXES))
def test_a_mobile_number_is_masked_however_it_is_spelt(number_and_text: tuple[str, str],
                                                       prefix: str, suffix: str) -> None:
    """The middle four digits never show."""
    number, text = number_and_text
    masked = _digits(mask_text(prefix + text + suffix))
    assert number not in masked
    assert number[:3] + "****" + number[7:] in masked


def test_the_spellings_the_probe_found_are_masked() -> None:
    """The five spellings of the issue come out masked."""
    assert mask_text("4304 2319 9001 0112 36") == "4304 23** **** **12 36"
    assert mask_text("ID430423199001011236") == "ID430423********1236"
    assert mask_text("+8613812345678") == "+86138****5678"
    assert mask_text("138-1234-5678") == "138-****-5678"
    assert mask_text("138 1234 5678") == "138 **** 5678"


def test_amounts_dates_and_case_numbers_are_left_alone() -> None:
    """Text without an ID or phone number is unchanged."""
    text = "罚款8000.50元，2020-06-01，衡山应急罚〔2020〕12号，3名员工"
    assert mask_text(text) == text
