"""The inspection documents (SPEC §6) read back through pdftotext as a clerk would read the
printout: numbered per kind and year, citing the rule set of the act's date, with the unit's
signature or refusal, the officers' certificates and the unit's rights."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefiles.clock import SimulatedClock
from casefiles.services import inspections as S
from casefiles.services.app import Casefiles
from casefiles.services.documents import render_pending
from casefiles.services.inspection_documents import document
from casefiles.settings import Settings
from tests.integration.test_documents import flat, pdf_pages
from tests.support import MINE, PEOPLE, moment


@pytest.fixture
def bureau(tmp_path: Path) -> tuple[Casefiles, SimulatedClock]:
    clock = SimulatedClock(moment("2026-03-02T09:00"))
    app = Casefiles(Settings(data_dir=tmp_path / "data"), clock, f"sqlite:///{tmp_path}/c.db")
    app.init()
    for p in PEOPLE:
        app.put_person(p)
    return app, clock


def _text(app: Casefiles, insp: str, number: str) -> str:
    return flat("".join(pdf_pages(document(app, insp, number))))


def _found_unrectified(app: Casefiles, clock: SimulatedClock, inspected: str, deadline: str,
                       rechecked: str, hazard: tuple[str, str, str]) -> str:
    """An inspection whose one hazard (description, provision, recheck note) was ordered
    rectified by ``deadline`` and found unrectified by the recheck after it."""
    description, provision, note = hazard
    clock.set(moment(inspected))
    insp = S.act(app, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "破碎车间", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [{"ref": "h1", "description": description,
                                          "level": "general", "provision": provision,
                                          "fix": "deadline"}]}).case_id or ""
    assert S.act(app, "zhang", "order", insp, {"hazards": ["h1"], "deadline": deadline}).ok
    clock.set(moment(rechecked))
    assert S.act(app, "li", "recheck", insp, {"officers": ["li", "zhang"], "results": [
        {"hazard": "h1", "rectified": False, "note": note}]}).ok
    return insp


def test_a_seal_from_record_to_lifting_prints_what_the_law_asks(
        bureau: tuple[Casefiles, SimulatedClock]) -> None:
    app, clock = bureau
    o = S.act(app, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "refused_to_sign": True,
        "hazards": [{"ref": "h1", "description": "边坡台阶高度超过设计", "level": "major",
                     "fix": "deadline"}]})
    assert o.ok
    insp = o.case_id or ""
    assert S.act(app, "zhang", "measures", insp, {
        "measures": [{"ref": "m1", "type": "seal", "object": "一号采场", "hazards": ["h1"]}],
        "officers": ["zhang", "li"], "approved_by": "zhao"}).ok
    clock.set(moment("2026-03-30T09:00"))
    assert S.act(app, "zhao", "extend_measures", insp,
                 {"measure": "m1", "days": 20, "reason": "边坡治理方案尚待专家论证"}).ok
    assert S.act(app, "zhao", "lift", insp, {"measure": "m1", "reason": "边坡已治理"}).ok

    record = _text(app, insp, "衡山应急检记〔2026〕1号")
    assert "被检查单位负责人拒绝在本记录上签字" in record
    assert "张伟（执法证号：湘0401001）" in record and "李娜（执法证号：湘0401002）" in record
    assert "《中华人民共和国安全生产法》第六十五条第一款第一项、第六十七条、第六十八条" in record
    assert "挂牌督办" in record

    measures = _text(app, insp, "衡山应急现决〔2026〕1号")
    assert "查封：一号采场" in measures and "至2026年4月1日止" in measures
    assert "经本机关负责人赵强批准" in measures
    assert "《中华人民共和国行政强制法》第十八条、第二十四条" in measures
    assert "六十日内向衡山县人民政府申请行政复议" in measures
    assert "六个月内依法向" in measures and "陈述、申辩" in measures

    extension = _text(app, insp, "衡山应急延期〔2026〕1号")
    assert "延长二十日，至2026年4月21日止" in extension
    assert "《中华人民共和国行政强制法》第二十五条" in extension

    lifting = _text(app, insp, "衡山应急解除〔2026〕1号")
    assert "因边坡已治理" in lifting and "自2026年3月30日起解除上述查封措施" in lifting

    v = S.view(app, insp)
    assert all(d["sha256"] for d in v["documents"])
    assert [e.action for e in S.history(app, insp)][-1] == "document_stored"


def test_an_order_tells_of_statement_only_and_the_recheck_of_the_result(
        bureau: tuple[Casefiles, SimulatedClock]) -> None:
    app, clock = bureau
    insp = _found_unrectified(app, clock, "2026-03-02T09:00", "2026-03-13", "2026-03-16T10:00",
                              ("破碎机皮带防护罩缺失", "WSL-99-1", "防护罩仍未安装"))
    assert render_pending(app).rendered == 3  # what `casefiles documents` renders
    assert render_pending(app).rendered == 0
    assert all(d["sha256"] for d in S.view(app, insp)["documents"])
    record = _text(app, insp, "衡山应急检记〔2026〕1号")
    assert "被检查单位负责人签名：刘建国" in record
    order = _text(app, insp, "衡山应急责改〔2026〕1号")
    assert "于2026年3月13日前整改完毕" in order
    assert "违反《中华人民共和国安全生产法》第三十五条的规定" in order
    assert "陈述、申辩" in order and "行政复议" not in order
    recheck = _text(app, insp, "衡山应急复查〔2026〕1号")
    assert "破碎机皮带防护罩缺失：未整改（防护罩仍未安装）" in recheck
    assert "逾期仍未整改" in recheck


def test_a_case_registered_from_an_inspection_files_its_documents_in_the_case_file(
        bureau: tuple[Casefiles, SimulatedClock]) -> None:
    """案卷: the record, the order and the recheck opinion of the inspection the case came
    from are in the case file, listed in its contents after the filing documents and before
    the case's own evidence, each as issued (stored once, by the case file's build)."""
    import re

    from casefiles.services.documents import dossier_path
    from tests.integration.test_documents import top_right_stamps
    from tests.support import SMALL_FINE, in_2026, play, register

    app, clock = bureau
    insp = _found_unrectified(app, clock, "2026-05-11T09:00", "2026-05-20", "2026-05-21T10:00",
                              ("新员工未经安全培训上岗作业", "WSL-97-4", "仍有2名新员工未培训"))
    steps = in_2026(SMALL_FINE)
    steps[0] = (steps[0][0], "zhang", "register", {**register(MINE, "2026-05-21", "non_coal_mine"),
                                     "inspection": insp})
    case = play(app, clock, steps)
    path = dossier_path(app, case)
    pages = pdf_pages(path)
    front = next(i for i, stamp in enumerate(top_right_stamps(path)) if stamp)
    contents = "".join(pdf_pages(path, layout=True)[1:front])
    numbers = re.findall(r"(衡山应急\S+〔2026〕\d+号)", contents)
    ours = ["衡山应急检记〔2026〕1号", "衡山应急责改〔2026〕1号", "衡山应急复查〔2026〕1号"]
    assert [n for n in numbers if n in ours] == ours
    filing = next(i for i, n in enumerate(numbers) if "立" in n)
    assert filing < numbers.index(ours[0])
    text = flat("".join(pages))
    assert "于2026年5月20日前整改完毕" in text and "仍有2名新员工未培训" in text
    stored = [e for e in S.history(app, insp) if e.action == "document_stored"]
    assert len(stored) == 3 and all(d["sha256"] for d in S.view(app, insp)["documents"])


def test_a_seal_the_head_approved_later_prints_the_head_and_the_officers_who_asked(
        bureau: tuple[Casefiles, SimulatedClock]) -> None:
    """现场处理措施决定书 of a held seal: issued on the day of the approval, naming the officers
    of the request and the head who approved it, the seal running 30 days from then."""
    app, clock = bureau
    insp = S.act(app, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [{"ref": "h1", "description": "边坡浮石",
                                          "level": "major", "fix": "deadline"}]}).case_id or ""
    assert S.act(app, "zhang", "measures", insp, {
        "measures": [{"ref": "m1", "type": "seal", "object": "一号采场", "hazards": ["h1"]}],
        "officers": ["zhang", "li"], "ask_head": True}).ok
    clock.set(moment("2026-03-04T10:00"))
    assert S.act(app, "zhao", "approve_measures", insp, {"request": 1}).ok
    measures = _text(app, insp, "衡山应急现决〔2026〕1号")
    assert "现场执法人员：张伟（执法证号：湘0401001）、李娜（执法证号：湘0401002）" in measures
    assert "经本机关负责人赵强批准" in measures and "至2026年4月3日止" in measures
    assert "衡山县应急管理局2026年3月4日" in measures
