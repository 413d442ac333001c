"""The public side: published decisions with personal data masked, withdrawn ones gone, and
the complaint form, stored as plain text, rate-limited, registered or dismissed by officers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from casefiles.domain.masking import mask_address, mask_id_number, mask_phone, mask_text
from tests.support import SMALL_FINE, act, play, register, until
from tests.web.conftest import Bureau, csrf_of, sign_in

PERSON = {"kind": "individual", "name": "王大明", "id_number": "430423198001011231",
          "address": "衡山县开云镇白果村3组", "phone": "13812345678"}


def _individual_fine(bureau: Bureau,
                     facts: str = "王大明（身份证430423198001011231，电话13812345678）未培训") -> str:
    steps = [(SMALL_FINE[0][0], "zhang", "register", register(PERSON)), *SMALL_FINE[1:]]
    steps[3] = (steps[3][0], "zhang", "propose", {
        "violations": [{"code": "WSL-99-person", "tier": "一般", "facts": facts}],
        "penalties": [{"type": "fine", "amount": "10000"}]})
    return play(bureau.cf, bureau.clock, until(steps, "publish"))


def test_masking_hides_id_numbers_phones_and_individual_addresses() -> None:
    """Birth date of an ID number, middle of a phone number and the address below the county
    are hidden, in fields and in free text."""
    assert mask_id_number("430423198001011231") == "430423********1231"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_address("衡山县开云镇白果村3组") == "衡山县****"
    text = mask_text("身份证430423198001011231，手机13812345678，座机0734-5812345")
    assert "19800101" not in text and "1234" not in text.split("手机")[1][:8]
    assert "5812345" not in text


def test_a_published_decision_is_listed_with_personal_data_masked(bureau: Bureau,
                                                                 client: TestClient) -> None:
    """Without sign-in, the list and the decision page show the decision, and neither shows
    the individual's ID number, phone or full address."""
    case_id = _individual_fine(bureau)
    listing = client.get("/public")
    assert listing.status_code == 200 and "王大明" in listing.text
    decision_id = listing.text.split("/public/decisions/")[1].split('"')[0]
    page = client.get(f"/public/decisions/{decision_id}").text
    assert "430423********1231" in page and "138****5678" in page and "衡山县****" in page
    for secret in ("198001011231", "13812345678", "开云镇白果村"):
        assert secret not in page and secret not in listing.text
    assert bureau.cf.view(case_id)["decision"]["published"] is True


def test_the_spellings_the_probe_found_are_masked_on_the_decision_page(
        bureau: Bureau, client: TestClient) -> None:
    """Spaced and prefixed ID numbers and phones written +86, with dashes or spaces do not
    appear on /public/decisions/{id} (issue 11, item 4)."""
    _individual_fine(bureau, "身份证4304 2319 8001 0112 31，又写ID430423198001011231；电话"
                             "+8613812345678、138-1234-5678、138 1234 5678")
    decision_id = client.get("/public").text.split("/public/decisions/")[1].split('"')[0]
    page = client.get(f"/public/decisions/{decision_id}").text
    digits = "".join(c for c in page if c.isdigit() or c == "*")
    for secret in ("19800101", "13812345678", "81234567"):
        assert secret not in digits
    assert "ID430423********1231" in page and "138-****-5678" in page


def test_a_withdrawn_publication_disappears(bureau: Bureau, client: TestClient) -> None:
    """After revocation and withdrawal the decision is gone from the list and its page 404s."""
    case_id = _individual_fine(bureau)
    decision_id = client.get("/public").text.split("/public/decisions/")[1].split('"')[0]
    assert act(bureau.cf, bureau.clock, "2020-06-12T09:00", "zhao", "revoke", case_id,
               {"reason": "事实认定有误"}).ok
    assert act(bureau.cf, bureau.clock, "2020-06-12T10:00", "zhao", "withdraw", case_id).ok
    assert "王大明" not in client.get("/public").text
    assert client.get(f"/public/decisions/{decision_id}").status_code == 404


def test_an_unpublished_decision_is_not_on_the_public_side(bureau: Bureau,
                                                          client: TestClient) -> None:
    """A decided but unpublished case shows nowhere publicly."""
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "serve"))
    assert "嘉禾" not in client.get("/public").text


def _complain(client: TestClient, **fields: str) -> TestClient:
    token = csrf_of(client.get("/public/complaint").text)
    return client.post("/public/complaint", data={"csrf": token, **fields})


def test_a_complaint_is_stored_as_plain_text_and_shown_escaped(bureau: Bureau,
                                                              client: TestClient) -> None:
    """Markup in a complaint is kept as the words sent and never becomes HTML for officers."""
    r = _complain(client, subject="<b>某化工厂</b>", content="<script>alert(1)</script>夜间偷排")
    assert r.status_code == 200 and "受理编号" in r.text
    officer = TestClient(client.app)
    sign_in(officer, "zhang")
    listing = officer.get("/complaints").text
    assert "&lt;b&gt;某化工厂&lt;/b&gt;" in listing and "<script>alert" not in listing


def test_complaints_are_limited_per_sender_and_hour(bureau: Bureau, client: TestClient) -> None:
    """Past the hourly limit the form answers 429 and keeps the text typed."""
    for _ in range(bureau.cf.settings.complaints_per_hour):
        assert _complain(client, subject="某厂", content="违规").status_code == 200
    r = _complain(client, subject="某厂", content="第六次举报")
    assert r.status_code == 429 and "第六次举报" in r.text


def test_a_complaint_without_content_is_refused_with_the_input_kept(client: TestClient) -> None:
    """A missing required field answers 422 and the form keeps what was typed."""
    r = _complain(client, subject="某烟花店", content="")
    assert r.status_code == 422 and "某烟花店" in r.text


def _register_mine(officer: TestClient, token: str, complaint_id: str) -> Any:
    """Register the quarry's case from the complaint through the form."""
    return officer.post("/register", data={
        "csrf": token, "complaint": complaint_id, "source": "complaint",
        "sector": "non_coal_mine", "party.kind": "organisation",
        "party.name": "衡山县东岭石料有限公司", "party.credit_code": "91430423MA4L0M1N86",
        "party.address": "衡山县东湖镇东岭村", "summary": "采场无警示标志",
        "violation_date": "2020-05-20"})


def test_an_officer_registers_a_complaint_as_a_case(bureau: Bureau, client: TestClient) -> None:
    """Registering from a complaint makes a case with source complaint and marks the complaint
    registered with the case, in one step."""
    _complain(client, subject="衡山县东岭石料有限公司", content="采场无警示标志")
    officer = TestClient(client.app)
    token = sign_in(officer, "zhang")
    complaint_id = officer.get("/complaints").text.split("/complaints/")[1].split('"')[0]
    form = officer.get(f"/register?complaint={complaint_id}").text
    assert "采场无警示标志" in form
    r = _register_mine(officer, token, complaint_id)
    assert r.status_code == 200
    case_id = str(r.url).rsplit("/", 1)[1]
    assert bureau.cf.view(case_id)["source"] == "complaint"
    page = officer.get(f"/complaints/{complaint_id}").text
    assert "已登记为案件" in page and case_id in page
    assert _bureau_entry(bureau, "complaint.register").payload == {
        "complaint_id": complaint_id, "case_id": case_id}


def _bureau_entry(bureau: Bureau, action: str) -> Any:
    """The last entry of ``action`` in the bureau's chain, which must still verify."""
    from casefiles.domain.history import BUREAU_CHAIN
    from casefiles.services.audit import verify_all

    with bureau.cf.uow() as uow:
        entries = [e for e in uow.history.chain(BUREAU_CHAIN) if e.action == action]
        assert verify_all(uow).ok
    assert entries, action
    return entries[-1]


def test_dismissing_a_complaint_needs_a_reason(bureau: Bureau, client: TestClient) -> None:
    """Without a reason the dismissal is refused 422; with one the complaint leaves the queue
    and the dismissal is recorded, with its reason and officer, in the bureau's chain."""
    _complain(client, subject="某商店", content="卖烟花")
    officer = TestClient(client.app)
    token = sign_in(officer, "zhang")
    complaint_id = officer.get("/complaints").text.split("/complaints/")[1].split('"')[0]
    url = f"/complaints/{complaint_id}/dismiss"
    assert officer.post(url, data={"csrf": token, "reason": ""}).status_code == 422
    assert officer.post(url, data={"csrf": token, "reason": "经核查持证经营"}).status_code == 200
    assert complaint_id not in officer.get("/complaints").text
    assert "经核查持证经营" in officer.get(f"/complaints/{complaint_id}").text
    entry = _bureau_entry(bureau, "complaint.dismiss")
    assert entry.actor == "zhang"
    assert entry.payload == {"complaint_id": complaint_id, "reason": "经核查持证经营"}


def test_the_public_list_is_searchable_by_party_and_year(bureau: Bureau,
                                                        client: TestClient) -> None:
    """公示: part of the party's name and the year of the decision find it; another name or
    year does not, and says so."""
    _individual_fine(bureau)
    assert "王大明" in client.get("/public", params={"party": "大明", "year": "2020"}).text
    for params in ({"party": "嘉禾"}, {"year": "2019"}):
        page = client.get("/public", params=params).text
        assert "王大明" not in page and "没有找到符合条件的公示信息" in page
    assert client.get("/public", params={"year": "二〇二〇", "party": "%_"}).status_code == 200


def test_a_complainant_follows_progress_and_the_case_keeps_the_complaints_sector(
        bureau: Bureau, client: TestClient) -> None:
    """Issue 14, item 10: with the 受理编号 and the phone left with the complaint, the public
    progress page says 已收到 and, once registered, the case's stage; a wrong phone or number
    learns nothing; the registration form starts from the complaint's sector."""
    sent = _complain(client, subject="衡山县东岭石料有限公司", content="采场无警示标志",
                     contact="138 1234 5678", sector="non_coal_mine")
    code = sent.text.split("受理编号 <strong>")[1].split("<")[0]

    def ask(number: str, phone: str) -> Any:
        token = csrf_of(client.get("/public/complaint/progress").text)
        return client.post("/public/complaint/progress",
                           data={"csrf": token, "code": number, "phone": phone})

    answer = ask(code.lower(), "13812345678")
    assert answer.status_code == 200 and "已收到，执法人员正在核查" in answer.text
    for number, phone in ((code, "13900000000"), ("ABCDEF12", "13812345678"), ("%", "1")):
        wrong = ask(number, phone)
        assert wrong.status_code == 404 and "没有查到" in wrong.text
    officer = TestClient(client.app)
    token = sign_in(officer, "zhang")
    complaint_id = officer.get("/complaints").text.split("/complaints/")[1].split('"')[0]
    form = officer.get(f"/register?complaint={complaint_id}").text
    assert '<option value="non_coal_mine" selected>' in form
    r = _register_mine(officer, token, complaint_id)
    assert bureau.cf.view(str(r.url).rsplit("/", 1)[1])["sector"] == "non_coal_mine"
    assert "已登记为案件办理，当前阶段：案源登记" in ask(code, "13812345678").text
