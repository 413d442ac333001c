"""Every kind of enforcement document rendered to PDF from the shared scenarios, the sample cases
and a transfer case, then read back through pdftotext as a clerk would read the printout."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from casefiles.adapters.pdf import TEMPLATES
from casefiles.clock import SimulatedClock
from casefiles.domain.documents import ARCHIVE_RANK, DOSSIER, SERVED_KINDS
from casefiles.replay import load, run
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from casefiles.services.documents import dossier_path, render_pending, renderer
from casefiles.settings import Settings
from tests.support import SHARED

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [*sorted((SHARED / "scenarios").glob("*.yaml")),
             *sorted((ROOT / "casefiles" / "demo_cases").glob("*.yaml")),
             *sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))]


def pdf_pages(path: Path, layout: bool = False) -> list[str]:
    """The text of each page, as pdftotext reads it (keeping columns with ``layout``)."""
    options = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def flat(text: str) -> str:
    """Text without the line breaks and spaces that layout puts in, nor the page numbers
    (— 1 —) that pdftotext may read between two lines of the body."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))


@dataclass
class Rendered:
    """One rendered document with its case."""

    case_id: str
    party: str
    view: dict
    doc: dict
    path: Path

    @property
    def text(self) -> str:
        """The document's whole text, flattened."""
        return flat("".join(pdf_pages(self.path)))


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Casefiles]:
    """Every scenario played into one database, and every document rendered."""
    data = tmp_path_factory.mktemp("documents")
    settings = Settings(data_dir=data)
    url = f"sqlite:///{data / 'casefiles.db'}"
    for path in SCENARIOS:  # the shared ones only where ../shared is beside the checkout
        for step in run(path, load(path), url, settings):
            assert step.met, step.line
    cf = Casefiles(settings, SimulatedClock(load(SCENARIOS[0]).start), url)
    report = render_pending(cf, batch=10_000)
    assert report.failed == 0 and report.rendered > 0
    yield cf
    cf.engine.dispose()


@pytest.fixture(scope="module")
def documents(bureau: Casefiles) -> list[Rendered]:
    """Every stored document of every case."""
    out = []
    with bureau.uow() as uow:
        ids = uow.cases.ids()
    for case_id in ids:
        view = bureau.view(case_id)
        for doc in view["documents"]:
            path = bureau.settings.data_dir / _stored_path(bureau, case_id, doc["id"])
            out.append(Rendered(case_id, view["party"]["name"], view, doc, path))
    return out


def _stored_path(cf: Casefiles, case_id: str, document_id: str) -> str:
    with cf.uow() as uow:
        case = uow.cases.get(case_id)
    assert case is not None
    doc = next(d for d in case.documents if d.id == document_id)
    assert doc.path is not None, f"{doc.kind} {doc.number} not rendered"
    return doc.path


def test_every_document_kind_is_rendered(documents: list[Rendered]) -> None:
    """Each template of SPEC §4 that an action issues produced at least one PDF."""
    assert {r.doc["kind"] for r in documents} == set(TEMPLATES)


def test_every_document_prints_its_number_title_agency_and_party(
        documents: list[Rendered]) -> None:
    """pdftotext finds the document's number, its title, the bureau and the party on it."""
    for r in documents:
        text = r.text
        assert flat(r.doc["number"]) in text, (r.doc["kind"], r.doc["number"])
        assert "衡山县应急管理局" in text
        title = "行政处罚案卷" if r.doc["kind"] == DOSSIER else r.doc["kind"]
        assert flat(title) in flat(text.replace("　", "")), (r.doc["kind"], text[:80])
        assert flat(r.party) in text, (r.doc["kind"], r.party)


def test_every_stored_pdf_has_the_hash_the_case_and_its_history_recorded(
        bureau: Casefiles, documents: list[Rendered]) -> None:
    """The file's SHA-256 is the view's, a store_document entry names it, the chains verify."""
    stored: dict[str, set[str]] = {}
    for r in documents:
        digest = hashlib.sha256(r.path.read_bytes()).hexdigest()
        assert digest == r.doc["sha256"]
        if r.case_id not in stored:
            stored[r.case_id] = {f for e in bureau.history(r.case_id)
                                 if e.action == "store_document" for f in e.files}
        assert digest in stored[r.case_id], (r.doc["kind"], r.doc["number"])
    with bureau.uow() as uow:
        assert verify_all(uow).ok


def test_every_pdf_embeds_its_font_subsets(documents: list[Rendered]) -> None:
    """pdffonts lists only embedded subsets (nothing depends on the reader's fonts)."""
    for r in {r.doc["kind"]: r for r in documents}.values():
        out = subprocess.run(["pdffonts", str(r.path)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
        assert out, r.doc["kind"]
        for line in out:
            name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
            assert (emb, sub) == ("yes", "yes") and "+" in name, (r.doc["kind"], line)


def _decision(documents: list[Rendered], fine_yuan: str) -> Rendered:
    return next(r for r in documents if r.doc["kind"] == "行政处罚决定书"
                and flat(fine_yuan) in r.text)


def test_the_penalty_decision_carries_every_element_of_apl_article_59(
        documents: list[Rendered]) -> None:
    """The demo's 2026 mine decision (the project's own case, so a clone without ../shared
    checks it too) names party, facts, evidence, provisions, penalty in figures and capitals,
    how, where and by when to pay, both remedies with their bodies and periods, the agency and
    the date; its procedure is that of 令第18号."""
    r = _decision(documents, "40,000.00")
    text = r.text
    for element in [
        "衡山县鑫旺石料有限公司", "统一社会信用代码：91430423MA4L3K2P10", "法定代表人（负责人）：赵国平",
        "地址：衡山县店门镇双全村",                                     # party
        "经查", "采场爆破警戒区及边坡危险区域未设置安全警示标志",        # facts
        "以上事实有下列证据证明", "现场检查记录（采场边坡及爆破警戒区）",  # evidence
        "询问笔录（赵国平）",
        "违反了《中华人民共和国安全生产法》第三十五条的规定",              # provision breached
        "依据《中华人民共和国安全生产法》第九十九条第一项的规定",          # provision applied
        "应急管理部令第18号",                                            # procedure of the day
        "罚款人民币40,000.00元（肆万元整）",                              # penalty, both ways
        "自收到本决定书之日起十五日内到本机关指定的银行或者通过电子支付系统缴纳",  # how, by when
        "每日按罚款数额的百分之三加处罚款",
        "六十日内向衡山县人民政府申请行政复议",                          # reconsideration (2024)
        "六个月内依法向衡山县人民法院提起行政诉讼",                      # lawsuit
        "依法举行了听证",                                                # hearing held
        "2026年7月31日",                                                 # date
    ]:
        assert flat(element) in text, element
    assert "（印章）" in text


def test_no_document_sends_the_party_to_pay_at_the_bureau(documents: list[Rendered]) -> None:
    """罚缴分离 (APL art. 67): no decision or reminder names the bureau's own window, or a
    bank 'named in the decision' that it never names; they name the statutory way."""
    paying = [r for r in documents if r.doc["kind"] in ("行政处罚决定书", "罚款催告书")]
    assert paying
    for r in paying:
        text = flat(r.text)
        assert "罚没收缴窗口" not in text and "决定书载明的代收银行" not in text, r.doc["number"]
        if r.doc["kind"] == "罚款催告书" or "罚款人民币" in text:
            assert "到本机关指定的银行或者通过电子支付系统缴纳" in text, r.doc["number"]


def test_an_individuals_decision_speaks_to_a_person_and_prints_the_id_number(
        documents: list[Rendered]) -> None:
    """A decision on an individual says 你 and 身份证号码, never 你单位."""
    decisions = [r for r in documents if r.doc["kind"] == "行政处罚决定书"
                 and r.view["party"]["kind"] == "individual"]
    assert decisions
    for r in decisions:
        assert "身份证号码" in r.text and "你单位" not in r.text


def test_an_individuals_decision_cites_the_item_its_facts_match(
        documents: list[Rendered]) -> None:
    """The villager's sign case cites WSL art. 99 item 1 as the operator's own provision, and
    its facts no longer claim a failure to correct that its small fine could not punish."""
    decisions = [r for r in documents if r.doc["kind"] == "行政处罚决定书"
                 and r.view["party"]["kind"] == "individual"]
    assert decisions
    for r in decisions:
        assert "依据《中华人民共和国安全生产法》第九十九条第一项的规定" in r.text
        assert "逾期未改正" not in r.text


def test_amounts_in_figures_match_their_chinese_capitals_everywhere(
        documents: list[Rendered]) -> None:
    """Every amount printed as 人民币N元（capitals） has the capitals of N."""
    from decimal import Decimal

    from casefiles.domain.money import capitals, to_fen

    seen = 0
    for r in documents:
        for figures, caps in re.findall(r"([\d,]+\.\d\d)元（([零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+)）",
                                        r.text):
            assert capitals(to_fen(Decimal(figures.replace(",", "")))) == caps, (figures, caps)
            seen += 1
    assert seen >= 10


def top_right_stamps(path: Path) -> list[str]:
    """Per page, the words printed in its top right corner (where the case file stamps page
    numbers), read by their coordinates: a drill's 演练 at the head of the page changes the
    order pdftotext reads a page in, not where the number stands."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    stamps: list[str] = []
    for page in out.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        stamps.append(" ".join(w for x, y, w in words
                               if float(x) > width - 90 and float(y) < 70))
    return stamps


def test_the_dossier_contents_give_the_page_each_document_really_starts_on(
        bureau: Casefiles, documents: list[Rendered]) -> None:
    """For every case file: each entry of the 卷内目录 points at the stamped page where that
    document's title and number stand, in archive order (decision first, closing last)."""
    dossiers = [r for r in documents if r.doc["kind"] == DOSSIER]
    assert dossiers
    for r in dossiers:
        pages = pdf_pages(r.path)
        stamps = top_right_stamps(r.path)
        # cover, then the contents over as many pages as they take, none numbered
        front = next(i for i, stamp in enumerate(stamps) if stamp)
        contents = "".join(pdf_pages(r.path, layout=True)[1:front])
        entries = re.findall(r"^\s*(\d+)\s+(衡山应急\S+号)\s+(\S+)\s+(\d{4}年\d+月\d+日)\s+(\d+)",
                             contents, re.MULTILINE)
        others = [d for d in r.view["documents"] if d["kind"] != DOSSIER]
        assert len(entries) == len(others), contents
        ranks = [ARCHIVE_RANK[kind] for _, _, kind, _, _ in entries]
        assert ranks == sorted(ranks)
        for _, number, kind, _, first in entries:
            page = pages[front - 1 + int(first)]
            assert stamps[front - 1 + int(first)] == first, number   # the stamp at the top right
            assert flat(kind) in flat(page) and number in flat(page), (number, first)
        stamped = stamps[front:-1]  # the 卷内备考表 closes the file, unnumbered
        assert stamped == [str(n) for n in range(1, len(pages) - front)]
        assert stamps[-1] == "" and "卷内备考表" in flat(pages[-1])


def test_casefiles_case_dossier_gives_the_path_of_the_stored_case_file(
        bureau: Casefiles, documents: list[Rendered]) -> None:
    """dossier_path returns the stored 案卷 of an archived case and refuses one not archived."""
    from casefiles.services.documents import NotArchivedError

    r = next(r for r in documents if r.doc["kind"] == DOSSIER)
    assert dossier_path(bureau, r.case_id) == r.path.resolve()
    open_case = next(r for r in documents if r.view["state"] != "archived")
    with pytest.raises(NotArchivedError, match="尚未归档"):
        dossier_path(bureau, open_case.case_id)


def test_a_second_batch_renders_nothing_and_records_nothing(bureau: Casefiles,
                                                            documents: list[Rendered]) -> None:
    """Rendering is done once: a rerun finds no work and the history does not grow."""
    before = {r.case_id: r.view["history_length"] for r in documents}
    again = render_pending(bureau, batch=10_000)
    assert (again.rendered, again.failed) == (0, 0)
    for case_id, length in before.items():
        assert bureau.view(case_id)["history_length"] == length


def test_a_reissued_document_supersedes_the_earlier_one_and_both_stay_in_the_case_file(
        documents: list[Rendered]) -> None:
    """After a returned review, the new 案件调查报告 supersedes the first; both keep their PDF,
    and the case file lists both with remarks that point at each other."""
    by_id = {r.doc["id"]: r for r in documents}
    later = [r for r in documents if r.doc["supersedes"]]
    assert any(r.doc["kind"] == "案件调查报告" for r in later)
    for r in later:
        earlier = by_id[r.doc["supersedes"]]
        assert earlier.doc["kind"] == r.doc["kind"] and earlier.case_id == r.case_id
        assert earlier.path.is_file() and earlier.doc["sha256"] != r.doc["sha256"]
    case_ids = {r.case_id for r in later}
    dossiers = [r for r in documents if r.doc["kind"] == DOSSIER and r.case_id in case_ids]
    assert dossiers
    for r in dossiers:
        contents = flat(pdf_pages(r.path)[1])
        assert re.search(r"被序号\d+替代", contents) and re.search(r"替代序号\d+", contents)


def test_the_preservation_notice_names_the_goods_the_place_the_approver_and_the_last_day(
        documents: list[Rendered]) -> None:
    """The 先行登记保存证据通知书 prints what is sealed, where, who approved it, the legal basis
    and the day by which the bureau decides (seven working days, past National Day 2026 and its
    make-up Saturday 10 October)."""
    notice = next(r for r in documents if r.doc["kind"] == "先行登记保存证据通知书"
                  and "无标签200升塑料桶12只" in r.text)
    for words in [ "当事人仓库（加贴封条）", "批准人赵强",
                  "《中华人民共和国行政处罚法》第五十六条", "七个工作日内（2026年10月13日前，含当日）"]:
        assert flat(words) in notice.text, words


def _words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word pdftotext's layout analysis finds, with its box (xMin, yMin, xMax,
    yMax) in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                           r'yMax="([\d.]+)">([^<]*)</word>', page)
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words])
    return pages


MM = 72 / 25.4


def test_page_numbers_stand_7_mm_below_the_text_block_right_on_odd_pages_left_on_even(
        documents: list[Rendered]) -> None:
    """GB/T 9704 §7.5: on a document of several pages, the number of page 1 stands at the
    right and that of page 2 at the left, its top 7 mm below the text block's lower edge."""
    long = next(r for r in documents if len(_words(r.path)) >= 2 and r.doc["kind"] != DOSSIER)
    block_bottom, left, right = (297 - 35) * MM, 28 * MM, (210 - 26) * MM
    for n, words in enumerate(_words(long.path)[:2], start=1):
        [number] = [w for w in words if w[4] == str(n) and w[1] > block_bottom]
        # the glyph box pdftotext gives includes the font's ascent above the 14 pt line box
        assert block_bottom + 5 * MM < number[1] < block_bottom + 8 * MM, number
        if n % 2:
            assert number[0] > (left + right) / 2, number  # odd: on the right
        else:
            assert number[2] < (left + right) / 2, number  # even: on the left


def test_notices_and_decisions_state_each_finding_once_without_the_sources_label(
        bureau: Casefiles, documents: list[Rendered]) -> None:
    """A complaint's label (12350举报：) is not a finding: 告知书 and 决定书 print the violations'
    facts, each once, and never the registration summary with its label."""
    kinds = {"行政处罚告知书", "行政处罚决定书", "不予行政处罚决定书"}
    checked = [r for r in documents if r.doc["kind"] in kinds]
    labelled = 0
    for r in checked:
        case = bureau.case(r.case_id)
        labelled += "举报：" in case.summary
        text = flat(r.text)
        assert "举报：" not in text, r.doc["number"]
        if "决定书" in r.doc["kind"]:  # a notice may speak of an earlier proposal
            for v in case.proposal.violations if case.proposal else []:
                assert text.count(flat(v["facts"])) == 1, (r.doc["number"], v["facts"])
    assert checked and labelled  # the demo holds complaint cases whose summary is labelled


def test_deadlines_in_notices_are_written_inclusively(documents: list[Rendered]) -> None:
    """The last day of the statement window is written 前（含当日）, so the party knows the
    day itself still counts."""
    notices = [r for r in documents if r.doc["kind"] == "行政处罚告知书"]
    assert notices and all(re.search(r"\d+日前（含当日）", flat(r.text)) for r in notices)


def test_a_decision_answers_the_partys_statement_with_its_reasons(
        documents: list[Rendered]) -> None:
    """APL art. 45: the demo's fireworks decision states the party's words, that they were not
    accepted, and why (decide's defence_answer); a statement left unanswered is said to have
    been reviewed, in neutral words, never 'reviewed' with no result where an answer exists."""
    answered = _decision(documents, "22,000.00")
    text = flat(answered.text)
    assert "已于3月10日在两库补设警示标志" in text
    assert flat("经复核，本机关认为你单位提出的事实、理由不成立，不予采纳，理由是：补设警示标志属于依法"
                "应当履行的改正义务") in text
    unanswered = [r for r in documents if r.doc["kind"] == "行政处罚决定书"
                  and "提出了陈述、申辩意见" in flat(r.text) and "采纳" not in flat(r.text)]
    assert all("本机关已对" in flat(r.text) and "进行了复核" in flat(r.text) for r in unanswered)


def test_a_tier_is_named_only_where_the_provision_has_tiers_and_the_fine_lies_in_it(
        bureau: Casefiles, documents: list[Rendered]) -> None:
    """The fireworks decision of 22,000 yuan (above 一般's 10,000–20,000) names no tier; a
    decision on a provision without tiers names none; one inside its tier names it."""
    outside = flat(_decision(documents, "22,000.00").text)
    assert "档次裁量" not in outside
    for r in (r for r in documents if r.doc["kind"] == "行政处罚决定书"):
        case = bureau.case(r.case_id)
        tiered = [v for v in case.proposal.violations
                  if (p := bureau.profile.rule_set(case.rule_set_id).provision(v["code"]))
                  and p.tiers] if case.proposal else []
        if not tiered:
            assert "档次裁量" not in flat(r.text), r.doc["number"]
    inside = [r for r in documents if r.doc["kind"] == "行政处罚决定书"
              and "“严重”档次裁量" in flat(r.text)]
    assert inside  # the demo's mine case: 40,000 in 严重 (30,000–50,000)


def test_a_no_penalty_decision_names_its_ground_and_the_education_given(
        documents: list[Rendered]) -> None:
    """APL art. 33: the demo's first-offence decision says the violation was corrected in
    time without harm, cites 33(1) for the ground and 33(3) for the education given, and never
    tells a party who corrected to correct at once."""
    [r] = [r for r in documents if r.doc["kind"] == "不予行政处罚决定书"
           and "衡山县金岭矿业有限公司" in flat(r.text)]
    text = flat(r.text)
    assert "已及时改正，没有造成危害后果" in text
    assert "《中华人民共和国行政处罚法》第三十三条第一款" in text
    assert "《中华人民共和国行政处罚法》第三十三条第三款" in text and "进行了安全生产法律法规教育" in text
    assert "应当立即纠正" not in text and "应当立即改正" not in text
    assert "《中华人民共和国安全生产法》第二十八条" in text  # the provision violated


def _closing_of(documents: list[Rendered], party: str) -> str:
    [r] = [r for r in documents if r.doc["kind"] == "结案审批表" and party in flat(r.text)]
    return flat(r.text)


def test_closing_after_a_court_application_states_what_is_still_owed(
        documents: list[Rendered]) -> None:
    """SPEC §2 allows closing once the court is applied to: the 结案审批表 says so and names
    what is still owed, never 已缴纳0.00元（含加处罚款…）."""
    texts = [flat(r.text) for r in documents if r.doc["kind"] == "结案审批表"
             and "强制执行" in flat(r.text)]
    assert texts
    for text in texts:
        assert re.search(r"尚欠[\d,]+\.\d\d元，已申请.+人民法院强制执行", text), text
        assert "（含加处罚款" not in text


def test_a_revoked_decision_is_never_printed_as_the_cases_outcome(
        documents: list[Rendered]) -> None:
    """The demo's revoked trade decision: its 结案审批表 says the decision was revoked and has
    nothing to execute; no fine stands as the outcome."""
    text = _closing_of(documents, "衡山县宏达纺织有限公司")
    assert "已撤销" in text and "无执行事项" in text
    assert "罚款人民币" not in text


def test_the_dossier_cover_of_a_revoked_decision_says_it_was_revoked(
        documents: list[Rendered]) -> None:
    """The 案卷封面 of the revoked trade case gives the revocation as its outcome, not a fine."""
    [r] = [r for r in documents if r.doc["kind"] == DOSSIER
           and "衡山县宏达纺织有限公司" in flat(pdf_pages(r.path)[0])]
    cover = flat(pdf_pages(r.path)[0])
    assert "行政处罚决定已撤销" in cover and "罚款" not in cover


def test_a_sole_traders_documents_speak_to_its_operator(documents: list[Rendered]) -> None:
    """A 个体工商户 (credit code 92…) is addressed as 你 through its 经营者, never as 你单位 with
    a 法定代表人."""
    shop = [r for r in documents if "92430423MA4R2W8J36" in flat(r.text)
            and r.doc["kind"] in ("行政处罚决定书", "行政处罚告知书")]
    assert shop
    for r in shop:
        text = flat(r.text)
        assert "你单位" not in text and "法定代表人" not in text, r.doc["number"]
        if r.doc["kind"] == "行政处罚决定书":
            assert "经营者：" in text


def test_every_penalty_decision_orders_correction(documents: list[Rendered]) -> None:
    """APL art. 28: each 行政处罚决定书 orders the party to correct, citing art. 28(1)."""
    decisions = [flat(r.text) for r in documents if r.doc["kind"] == "行政处罚决定书"]
    assert decisions
    for text in decisions:
        assert "根据《中华人民共和国行政处罚法》第二十八条第一款的规定，责令" in text
        assert "改正上述违法行为" in text


def test_an_inquiry_record_carries_its_questions_and_answers_and_the_person_questioned(
        documents: list[Rendered]) -> None:
    """询问笔录 is not an index sheet: it names the person questioned (a person, of the company)
    and the place, and prints the questions and answers."""
    [r] = [r for r in documents if r.doc["kind"] == "询问笔录" and "赵国平" in flat(r.text)]
    text = flat(r.text)
    assert "被询问人赵国平（公司法定代表人）（衡山县鑫旺石料有限公司）" in text
    assert "衡山县应急管理行政执法办案中心询问室" in text
    assert "问：当天是否在进行爆破作业？答：是的" in text and "问答内容见原始笔录" not in text


def test_a_discussion_record_carries_place_recorder_opinions_and_a_line_per_attendee(
        documents: list[Rendered]) -> None:
    """集体讨论记录: where, who kept the record, each attendee's opinion, a signature row each."""
    [r] = [r for r in documents if r.doc["kind"] == "集体讨论记录" and "鑫旺" in flat(r.text)]
    text = flat(r.text)
    assert "讨论地点衡山县应急管理局三楼会议室" in text and "记录人李雪梅" in text
    assert "周志刚意见同意法制审核意见，罚款4万元" in text
    assert "签名罗建华周志刚欧阳平" in text  # one signature row per attendee


def test_a_receipt_of_service_left_at_the_premises_records_the_refusal_and_witnesses(
        documents: list[Rendered]) -> None:
    """留置送达: the receipt gives the refusal's reason, the witness with a line to sign and the
    recording, and never shows the recipient as having signed."""
    left = [flat(r.text) for r in documents if r.doc["kind"] == "文书送达回执"
            and "送达方式留置送达" in flat(r.text)]
    assert left
    for text in left:
        assert "王桂兰（拒绝签收）" in text and "拒收事由经营者称对处罚决定有异议，拒绝签收" in text
        assert "见证人白果镇安监站李国华" in text and "见证人签名" in text
        assert "执法记录仪录像HS-2026-0326-01" in text
        assert "收件人签名" not in text


def test_a_transfer_names_the_crime_lists_goods_and_appraisals_and_copies_the_procuratorate(
        documents: list[Rendered]) -> None:
    """国务院令第310号 art. 6: the 移送书 names the suspected crime, lists the goods and the
    appraisals attached, and is copied to the county procuratorate."""
    [r] = [r for r in documents if r.doc["kind"] == "涉嫌犯罪案件移送书"
           and "危险物品肇事罪" in flat(r.text)]
    text = flat(r.text)
    assert "涉嫌构成危险物品肇事罪" in text
    assert "涉案物品清单：存放于居民住宅内的烟花爆竹成品42箱" in text
    assert "有关检验报告或者鉴定结论：火灾事故认定书；受伤人员伤情鉴定意见书" in text
    assert "抄送：衡山县人民检察院" in text


def test_a_hearing_record_carries_its_times_attendees_and_each_sides_statements(
        documents: list[Rendered]) -> None:
    """听证笔录: the times as held, host and recorder, the party's people and agent, and what
    the investigators and the party each said."""
    [r] = [r for r in documents if r.doc["kind"] == "听证笔录" and "鑫旺" in flat(r.text)]
    text = flat(r.text)
    assert "2026年7月27日9时00分至2026年7月27日11时10分" in text
    assert "记录人周敏" in text and re.search(r"当事人到场人员.{0,8}赵国平", text)
    assert "委托代理人湖南衡岳律师事务所律师邹平" in text
    # a label beside its cell (the plain reading order may take a page's labels first; the
    # layout puts a label in the middle of a cell of two lines)
    rows = flat("".join(pdf_pages(r.path, layout=True)))
    assert re.search(r"调查人员陈述.{0,12}7月3日检查发现|7月3日检查发现.{0,30}调查人员陈述", rows)
    assert re.search(r"当事人陈述申辩.{0,12}对违法事实无异议|对违法事实无异议.{0,30}当事人陈述申辩",
                     rows)


def test_an_enforcement_application_carries_the_partys_opinion_and_the_heads_signature(
        documents: list[Rendered]) -> None:
    """行政强制法 art. 55: the 强制执行申请书 states the party's opinion and is signed by the
    bureau's head."""
    [r] = [r for r in documents if r.doc["kind"] == "强制执行申请书"
           and "资金困难" in flat(r.text)]
    text = flat(r.text)
    assert "被申请人的意见：经营者称资金困难，无力缴纳，未提出其他意见" in text
    assert "行政机关负责人签名" in text


def test_a_reminder_says_the_surcharge_keeps_accruing_up_to_its_cap(
        documents: list[Rendered]) -> None:
    """APL art. 72: the 催告书 says the surcharge runs on to the day of payment, capped at the
    fine."""
    reminders = [flat(r.text) for r in documents if r.doc["kind"] == "罚款催告书"]
    assert reminders
    assert all("加处罚款继续按日计算至缴清之日，累计不超过罚款数额" in t for t in reminders)


def test_the_dossier_cover_gives_its_file_number_who_filed_it_and_who_checked_it(
        documents: list[Rendered]) -> None:
    """案卷封面: 档号, 立卷人 and 检查人, and no page number on the cover."""
    [r] = [r for r in documents if r.doc["kind"] == DOSSIER
           and "衡山应急-2026-XZCF-0006" in flat(pdf_pages(r.path)[0])]
    cover = flat(pdf_pages(r.path)[0])
    assert re.search(r"档.{0,3}衡山应急-2026-XZCF-0006", cover)
    assert "立卷人" in cover and "检查人法制股李雪梅" in cover
    assert not re.search(r"—\d+—", re.sub(r"\s+", "", pdf_pages(r.path)[0]))


def test_the_acts_that_end_extend_defer_or_revoke_leave_their_documents(
        documents: list[Rendered]) -> None:
    """decline, terminate, extend, instalments and revoke each issue their document, saying
    why and what was approved."""
    by_kind = {r.doc["kind"]: flat(r.text) for r in documents}
    assert "不予立案理由" in by_kind["不予立案审批表"] and "同意不予立案" in by_kind["不予立案审批表"]
    assert "终止调查理由" in by_kind["终止调查审批表"] and "同意终止调查" in by_kind["终止调查审批表"]
    extension = by_kind["延长办案期限审批表"]
    assert "30日，延长至2026年8月18日" in extension and "自立案之日起至2026年7月20日" in extension
    instalments = by_kind["延期（分期）缴纳罚款批准书"]
    assert "分期缴纳" in instalments and "前（含当日）" in instalments
    revocation = by_kind["撤销行政处罚决定书"]
    assert "决定予以撤销" in revocation and "公示信息将依法撤回" in revocation


# --- layout, read back by coordinates (pdftotext -bbox-layout) ------------------------------


def test_the_agency_name_extracts_as_one_word_at_the_head_of_every_document(
        documents: list[Rendered]) -> None:
    """No letter-spacing breaks the bureau's name: pdftotext reads 衡山县应急管理局 as one word,
    centred at the head of the first page (a search of the archive finds it)."""
    for r in documents:
        first = _words(r.path)[0]
        heads = [w for w in first if w[4] == "衡山县应急管理局"]
        assert heads, (r.doc["kind"], [w[4] for w in first[:4]])
        x0, _, x1, _, _ = min(heads, key=lambda w: w[1])
        assert abs((x0 + x1) / 2 - 297.6) < 20 * MM, (r.doc["kind"], x0, x1)


# the labels that share one signature line (.sign-line) in the templates
SIGN_LINES = [("执法人员签名：", "被询问人签名："), ("执法人员签名：", "被检查单位负责人签名："),
              ("执法人员签名：", "当事人（见证人）签名："), ("执法人员签名：", "被抽样取证人签名："),
              ("陈述申辩人签名：", "记录人签名："), ("听证主持人：", "记录人："),
              ("当事人或其代理人：", "案件调查人员：")]


def test_signature_lines_do_not_wrap(documents: list[Rendered]) -> None:
    """Each signature line stands on one line inside the text block: its second label has the
    first's baseline, after it, and the blank after it ends before the right margin."""
    right = (210 - 26) * MM + 1
    seen = set()
    for r in documents:
        for words in _words(r.path):
            for first, second in SIGN_LINES:
                a = [w for w in words if w[4] == first]
                b = [w for w in words if w[4] == second]
                if not a or not b:
                    continue
                seen.add((r.doc["kind"], first, second))
                # the blank after the second label (5 characters) ends inside the block too
                assert any(abs(x[3] - y[3]) < 1 and y[0] > x[2]
                           and y[2] + 5 * (y[2] - y[0]) / len(second) < right
                           for x in a for y in b), (r.doc["kind"], a, b)
    kinds = {k for k, _, _ in seen}
    assert {"询问笔录", "现场检查记录", "勘验笔录", "抽样取证凭证", "陈述申辩笔录",
            "听证笔录"} <= kinds, kinds


def test_an_evidence_row_never_splits_across_pages(bureau: Casefiles, documents: list[Rendered],
                                                   tmp_path: Path) -> None:
    """A 案件调查报告 re-rendered with thirty long evidence rows runs over several pages, and
    every row's first and last words stand on the same page."""
    report = next(r for r in documents if r.doc["kind"] == "案件调查报告")
    with bureau.uow() as uow:
        facts = uow.contents.get(report.doc["id"])
    assert facts is not None
    facts["body"]["evidence"] = [
        {"kind": "书证", "title": f"甲{n:02d}起" + "现场照片、视频截图及其文字说明" * 5 + f"乙{n:02d}止",
         "recorded_on": "2026年7月7日", "sha256": ""} for n in range(30)]
    path = tmp_path / "long.pdf"
    path.write_bytes(renderer(bureau).render("案件调查报告", facts, "2026-07-07T09:00:00+08:00").pdf)
    pages = _words(path)

    def page_of(marker: str) -> int:
        [page] = {i for i, words in enumerate(pages) for w in words if marker in w[4]}
        return page

    spread = [(page_of(f"甲{n:02d}起"), page_of(f"乙{n:02d}止")) for n in range(30)]
    assert len({p for p, _ in spread}) > 1  # the rows do run over a page break
    assert all(start == end for start, end in spread), spread


# What the MEM document models (安全生产执法文书式样) ask each kind for, as the words that
# introduce each field on the printout (the fields' values come from the case; the other tests
# check those). A kind's every rendered document must carry every one of its fields.
MEM_FIELDS: dict[str, list[str]] = {
    "案件来源登记表": ["案件来源", "登记时间", "当事人", "违法行为发生时间", "简要情况", "登记人",
                  "受案人意见", "负责人意见", "受案人签名", "负责人签名"],
    "立案审批表": ["案件来源", "受案日期", "案由", "当事人", "简要案情", "受案人", "承办人员",
              "办案期限", "负责人审批意见"],
    "不予立案审批表": ["案件来源", "受案日期", "当事人", "简要案情", "受案人", "不予立案理由",
                "负责人审批意见", "负责人："],
    "不予立案告知书": ["投诉举报", "登记受理", "决定不予立案，理由如下", "联系电话", "（印章）"],
    "询问通知书": ["请你于", "接受调查询问", "携带下列材料", "如实回答询问", "执法人员", "机关地址",
              "联系电话", "（印章）", "被询问人签收"],
    "询问笔录": ["询问时间", "询问地点", "被询问人", "执法人员", "记录人", "案由", "询问内容",
             "申请回避", "执法人员签名", "被询问人签名"],
    "现场检查记录": ["检查时间", "检查场所", "被检查单位", "执法人员", "记录人", "检查情况",
               "执法人员签名", "被检查单位负责人签名"],
    "勘验笔录": ["勘验时间", "勘验地点", "勘验对象", "当事人", "执法人员", "记录人", "勘验情况及结果",
             "执法人员签名", "当事人（见证人）签名"],
    "抽样取证凭证": ["抽样时间", "抽样地点", "被抽样取证人", "抽样依据", "执法人员",
               "抽取样品（名称、规格、数量）", "执法人员签名", "被抽样取证人签名"],
    "鉴定委托书": ["当事人", "鉴定机构", "鉴定事项", "鉴定材料及要求", "经办人员", "联系地址",
              "（印章）"],
    "先行登记保存证据通知书": ["物品（证据）", "保存地点", "执法人员", "批准人", "作出处理决定",
                      "当事人签收"],
    "先行登记保存证据处理决定书": ["《先行登记保存证据通知书》", "处理决定", "处理情况", "申请行政复议",
                        "提起行政诉讼", "（印章）", "当事人签收"],
    "案件调查报告": ["案件来源及调查经过", "违法事实", "证据", "违法依据和处理意见", "程序事项"],
    "行政处罚告知书": ["经查", "证据证明", "违反了", "依据", "拟对", "陈述", "申辩", "（印章）"],
    "听证告知书": ["要求举行听证的权利", "工作日内", "视为放弃听证权利", "（印章）"],
    "听证会通知书": ["听证时间", "听证地点", "听证主持人", "拟作出的行政处罚", "委托", "申请回避",
               "（印章）"],
    "陈述申辩笔录": ["案由", "当事人", "陈述申辩人", "时间", "地点", "承办人员", "记录人", "告知情况",
               "陈述申辩内容", "陈述申辩人签名", "记录人签名"],
    "听证笔录": ["案由", "听证时间", "听证地点", "听证方式", "听证主持人", "记录人", "案件调查人员",
             "当事人到场人员", "委托代理人", "拟处罚内容", "听证情况", "听证主持人：",
             "当事人或其代理人："],
    "听证会报告书": ["案由", "当事人", "听证时间", "听证地点", "听证主持人", "记录人", "案件调查人员",
               "当事人到场人员", "拟处罚内容", "听证会基本情况", "处理意见和建议",
               "听证主持人签名"],
    "法制审核意见书": ["案由", "当事人", "承办人员", "拟处理意见", "审核事项", "审核意见"],
    "集体讨论记录": ["讨论时间", "讨论地点", "主持人", "记录人", "参加人员", "汇报人", "拟处理意见",
               "法制审核意见", "讨论结论", "签名"],
    "陈述申辩复核意见书": ["案由", "当事人", "拟处罚内容", "陈述申辩意见", "复核意见", "处理结果",
                   "复核人"],
    "案件处理呈批表": ["案由", "当事人", "立案日期", "承办人员", "违法事实", "违反条款", "处罚依据",
                "承办人意见", "法制审核意见", "负责人审批意见", "负责人："],
    "行政处罚决定书": ["违法事实和证据", "告知和陈述申辩", "处罚依据和处罚决定", "履行方式和期限",
                "救济途径", "责令", "申请行政复议", "提起行政诉讼", "（印章）"],
    "不予行政处罚决定书": ["案件事实和证据", "不予行政处罚的理由和依据", "救济途径", "（印章）"],
    "涉嫌犯罪案件移送书": ["涉嫌构成", "移送", "抄送", "附", "（印章）"],
    "文书送达回执": ["送达文书名称、文号", "受送达人", "送达地点", "送达方式", "送达时间", "送达人"],
    "罚款催告书": ["送达了", "缴款期限", "加处罚款", "（印章）"],
    "强制执行申请书": ["申请人", "被申请人", "申请事项", "事实和理由", "负责人"],
    "延长办案期限审批表": ["案由", "当事人", "立案日期", "原办案期限", "延长期限", "延长理由",
                  "负责人审批意见"],
    "延期（分期）缴纳罚款批准书": ["作出的《行政处罚决定书》", "期次", "缴纳期限", "金额（元）",
                        "（印章）"],
    "撤销行政处罚决定书": ["作出的《行政处罚决定书》", "决定予以撤销", "（印章）", "当事人签收"],
    "终止调查审批表": ["案由", "当事人", "立案日期", "调查情况", "终止调查理由", "负责人审批意见"],
    "结案审批表": ["案由", "当事人", "立案日期", "处理结果", "执行情况", "结案报告", "负责人审批意见"],
    DOSSIER: ["案件名称", "档号", "案卷编号", "当事人", "案由", "处理结果", "立案日期", "结案日期",
            "承办人员", "归档日期", "保管期限", "立卷人", "检查人", "卷内目录", "卷内备考表",
            "本卷情况说明", "立卷时间"],
}


def test_every_kind_carries_the_fields_of_its_mem_model(documents: list[Rendered]) -> None:
    """Each kind the engine issues has its field list here, and every document of that kind
    prints each of its fields (read back through pdftotext)."""
    assert set(MEM_FIELDS) == set(TEMPLATES)
    missing = []
    for r in documents:
        text = _readings(r)
        missing += [(r.doc["kind"], r.doc["number"], field) for field in MEM_FIELDS[r.doc["kind"]]
                    if flat(field) not in text]
    assert not missing, missing[:20]


def _readings(r: Rendered) -> str:
    """The document's text read three ways, so that a form's label is found however pdftotext
    orders a table: the plain reading order, each layout block (a label of two lines), and each
    line of the page from left to right (a label spaced 案　　由 that the reading order splits)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(r.path), "-"], check=True,
                         capture_output=True, text=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">'
                      r'([^<]*)</word>')
    blocks = ["".join(w for _, _, w in word.findall(b)) for b in out.split("<block ")[1:]]
    rows = []
    for page in out.split("<page ")[1:]:
        line: dict[float, list[tuple[float, str]]] = {}
        for x, y, w in word.findall(page):
            line.setdefault(round(float(y)), []).append((float(x), w))
        rows += ["".join(w for _, w in sorted(ws)) for _, ws in sorted(line.items())]
    return "|".join([flat(r.text), *blocks, *rows]).replace("　", "")


def test_every_document_served_on_the_party_has_its_own_receipt(
        documents: list[Rendered]) -> None:
    """A notice, summons, preservation paper, reminder, deferral or revocation goes to the party
    with a 文书送达回执 that names it, for the recipient to sign."""
    receipts = {flat(r.text) for r in documents if r.doc["kind"] == "文书送达回执"}
    served = [r for r in documents if r.doc["kind"] in SERVED_KINDS]
    assert {r.doc["kind"] for r in served} == SERVED_KINDS
    for r in served:
        named = f"《{r.doc['kind']}》（{flat(r.doc['number'])}）"
        assert any(named in text and "收件人签名" in text for text in receipts), named


NEW_KINDS = {"案件来源登记表", "询问通知书", "勘验笔录", "抽样取证凭证", "鉴定委托书",
             "先行登记保存证据处理决定书", "案件处理呈批表", "陈述申辩笔录", "陈述申辩复核意见书",
             "听证会报告书", "文书送达回执"}


def test_the_demos_case_files_contain_the_new_kinds(documents: list[Rendered]) -> None:
    """The demo's archived cases carry, between them, every kind issue 13 added that a case
    which reaches the archive can have, listed in their 卷内目录 and closed by a 卷内备考表."""
    demo = {step.with_["party"]["name"]
            for path in (ROOT / "casefiles" / "demo_cases").glob("*.yaml")
            for step in load(path).steps if step.do == "register"}
    listed: set[str] = set()
    for r in documents:
        if r.doc["kind"] != DOSSIER or r.view["drill"] or r.party not in demo:
            continue
        text = flat(r.text)
        listed |= {kind for kind in NEW_KINDS if flat(kind) in text.split("卷内备考表")[0]}
        assert "卷内备考表" in text
    assert listed == NEW_KINDS, NEW_KINDS - listed
