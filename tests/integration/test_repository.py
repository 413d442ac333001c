"""The case repository on SQLite and PostgreSQL: what is saved loads back the same."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import update

from casefiles.adapters.repository import CASES
from casefiles.domain import model as M
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import SHANGHAI
from tests.support import (
    MAJOR_FINE,
    SHA_A,
    SHA_B,
    SMALL_FINE,
    act,
    open_bureau,
    play,
    until,
)

T0 = datetime(2020, 6, 1, 9, 30, 15, 123456, tzinfo=SHANGHAI)
# A moment written in another zone, to show that what loads back is the same instant in Shanghai.
T_UTC = datetime(2020, 6, 19, 2, 0, 0, 654321, tzinfo=UTC)
T_NY = datetime(2020, 6, 21, 22, 0, 0, 1, tzinfo=timezone(timedelta(hours=-4)))
BIG_FEN = 3_000_000_000_07  # 30 亿元 and 7 fen: more than a 32-bit column holds


def _full_case() -> M.Case:
    """A case holding at least one record of every kind, with fen and zone-aware times."""
    t = lambda days: T0 + timedelta(days=days)
    proposal_penalties = [M.Penalty(type="fine", amount=6_000_050),
                          M.Penalty(type="confiscation", amount=BIG_FEN),
                          M.Penalty(type="suspension"),
                          M.Penalty(type="fine", amount=2_000_000, on="刘建国")]
    return M.Case(
        id=M.new_id(), profile="hengshan", rule_set_id="hengshan-2021",
        state=CaseState.EXECUTING, sector="non_coal_mine", source="inspection",
        summary="采场边坡危险区域未设置安全警示标志",
        party=M.Party(kind="organisation", name="衡山县东岭石料有限公司", address="东岭村",
                      credit_code="91430423MA4L0M1N86", phone="0734-5812345",
                      legal_rep="刘建国"),
        registered_at=T0, registered_by="zhang", violation_date=date(2020, 4, 20),
        violation_ended=date(2020, 5, 1), harm=True, number="衡山应急立〔2020〕7号",
        cause="逾期未改正", filed_at=t(0.2), investigators=["zhang", "li"], proposal_no=2,
        end_reason=None, closed_at=None, close_summary=None, archived_at=None,
        warnings=["outside_discretion_benchmark", "payment_late"],
        history_length=0, history_head=None,
        evidence=[M.Evidence(kind="inspection", title="现场检查记录", officers=["zhang", "li"],
                             recorded_at=t(1), recorded_by="zhang", sha256=SHA_A),
                  M.Evidence(kind="document", title="营业执照", officers=["li", "zhang"],
                             recorded_at=t(1.5), recorded_by="li", stored_path="ev/2.pdf")],
        proposals=[M.Proposal(no=1, violations=[{"code": "WSL-99-1", "tier": "一般",
                                                 "facts": "未设置标志"}], outcome="no_penalty",
                              penalties=[], proposed_at=t(2), proposed_by="zhang"),
                   M.Proposal(no=2, violations=[{"code": "WSL-99-1-late", "tier": "严重",
                                                 "facts": "逾期未改正"}], outcome="penalty",
                              penalties=proposal_penalties, proposed_at=t(3),
                              proposed_by="zhang", hearing_eligible=True,
                              legal_review_required=True, collective_discussion_required=True)],
        notices=[M.Notice(proposal_no=2, notified_at=t(3.1), defence_due=date(2020, 6, 11),
                          hearing_request_due=date(2020, 6, 11))],
        defences=[M.Defence(proposal_no=2, at=t(4), statement="请求从轻", waived=False)],
        hearings=[M.Hearing(proposal_no=2, requested_on=date(2020, 6, 5), status="held",
                            host="chen", scheduled_at=t(15), place="听证室",
                            notified_on=date(2020, 6, 5), held_at=t(15.1), attended=True,
                            record_sha256=SHA_B, summary="无异议")],
        reviews=[M.Review(proposal_no=2, reviewer="wang", verdict="pass",
                          checklist={"body_lawful": True, "no_transfer_needed": True},
                          opinion="同意", at=t(16))],
        discussions=[M.Discussion(proposal_no=2, attendees=["赵强", "孙丽", "周明"],
                                  conclusion="同意", at=t(17), by="zhao")],
        extensions=[M.Extension(days=30, reason="案情复杂", at=t(16.5), by="zhao")],
        decisions=[M.Decision(number="衡山应急罚〔2020〕3号", outcome="penalty",
                              penalties=[M.Penalty(type="fine", amount=5_000_001)],
                              decided_at=T_UTC, decided_by="zhao", served_at=T_NY,
                              service_method="in_person", recipient="刘建国",
                              published_at=t(19), published_by="system")],
        payments=[M.Payment(amount=2_500_001, paid_on=date(2020, 7, 1), recorded_at=t(30),
                            recorded_by="zhang")],
        instalments=[M.Instalment(schedule_no=1, due=date(2020, 7, 10), amount=2_500_001),
                     M.Instalment(schedule_no=1, due=date(2020, 8, 10), amount=2_500_000)],
        reminders=[M.Reminder(issued_at=t(80), by="li")],
        enforcements=[M.EnforcementApplication(court="衡山县人民法院", applied_at=t(300),
                                               by="zhao")],
        deadlines=[M.Deadline(kind="decision", due=date(2020, 9, 29), done_on=date(2020, 6, 19)),
                   M.Deadline(kind="payment", due=date(2020, 8, 10), missed=True,
                              unconfirmed=True)],
        documents=[M.Document(kind="行政处罚决定书", number="衡山应急罚〔2020〕3号",
                              issued_at=T_UTC, sha256=SHA_A, path="docs/fa-3.pdf"),
                   M.Document(kind="行政处罚决定书", number="衡山应急罚〔2020〕4号",
                              issued_at=t(20), supersedes="衡山应急罚〔2020〕3号")],
    )


def _datetimes(value: object) -> list[datetime]:
    """Every datetime inside a dataclass tree."""
    if isinstance(value, datetime):
        return [value]
    if dataclasses.is_dataclass(value):
        return [d for f in dataclasses.fields(value) for d in _datetimes(getattr(value, f.name))]
    if isinstance(value, list):
        return [d for v in value for d in _datetimes(v)]
    return []


def test_a_case_with_every_record_type_loads_back_equal(db_url: str) -> None:
    """Every record of a saved case loads back equal, times in Asia/Shanghai, money in fen."""
    cf, _ = open_bureau(db_url)
    saved = _full_case()
    assert all(getattr(saved, attr) for attr in (
        "evidence", "proposals", "notices", "defences", "hearings", "reviews", "discussions",
        "extensions", "decisions", "payments", "instalments", "reminders", "enforcements",
        "deadlines", "documents"))
    with cf.uow(write=True) as uow:
        uow.cases.add(saved)
        uow.commit()
    with cf.uow() as uow:
        loaded = uow.cases.get(saved.id)
    assert loaded == saved
    times = _datetimes(loaded)
    assert len(times) == 21
    assert {str(getattr(d.tzinfo, "key", d.tzinfo)) for d in times} == {"Asia/Shanghai"}
    assert [d.isoformat() for d in times if d.microsecond == 654321] == [
        "2020-06-19T10:00:00.654321+08:00", "2020-06-19T10:00:00.654321+08:00"]
    assert str(loaded.decisions[0].served_at) == "2020-06-22 10:00:00.000001+08:00"
    assert loaded.proposals[1].penalties[1].amount == BIG_FEN
    assert [type(p.amount) for p in loaded.decisions[0].penalties] == [int]
    assert loaded.decisions[0].fine == 5_000_001


def test_changes_to_a_loaded_case_are_saved_and_raise_its_version(db_url: str) -> None:
    """Changed and added child records are written back and the version rises by one."""
    cf, _ = open_bureau(db_url)
    case = _full_case()
    with cf.uow(write=True) as uow:
        uow.cases.add(case)
        uow.commit()
    with cf.uow(write=True) as uow:
        loaded = uow.cases.get(case.id, lock=True)
        assert loaded is not None
        loaded.payments.append(M.Payment(amount=2_500_000, paid_on=date(2020, 8, 9),
                                         recorded_at=T_NY + timedelta(days=49),
                                         recorded_by="li"))
        loaded.deadlines[1].done_on = date(2020, 8, 9)
        loaded.decisions[0].revoked_at = T_UTC + timedelta(days=90)
        loaded.state = CaseState.CLOSED
        loaded.warnings.append("service_late")
        assert uow.cases.save(loaded, bump=True)
        uow.commit()
    with cf.uow() as uow:
        again = uow.cases.get(case.id)
    assert again == loaded
    assert again.version == case.version + 1
    assert [p.amount for p in again.payments] == [2_500_001, 2_500_000]
    assert str(again.decisions[0].revoked_at) == "2020-09-17 10:00:00.654321+08:00"


def test_saving_over_a_version_that_moved_on_writes_nothing(db_url: str) -> None:
    """A save whose loaded version is no longer the row's reports False and changes nothing."""
    cf, _ = open_bureau(db_url)
    case = _full_case()
    with cf.uow(write=True) as uow:
        uow.cases.add(case)
        uow.commit()
    with cf.uow(write=True) as uow:
        loaded = uow.cases.get(case.id, lock=True)
        assert loaded is not None
        uow.conn.execute(update(CASES).where(CASES.c.id == case.id)
                         .values(version=CASES.c.version + 1))
        loaded.state = CaseState.CLOSED
        assert uow.cases.save(loaded, bump=True) is False
        uow.commit()
    with cf.uow() as uow:
        again = uow.cases.get(case.id)
    assert again is not None and again.state is CaseState.EXECUTING
    assert again.version == case.version + 1


def test_a_case_played_through_the_service_loads_back_with_its_records(db_url: str) -> None:
    """A case taken from registration to payment by instalments loads back from a new engine."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, MAJOR_FINE)
    view = cf.view(case_id)
    cf.engine.dispose()
    with cf.uow() as uow:
        case = uow.cases.get(case_id)
    assert case is not None and case.state is CaseState.EXECUTING
    for attr in ("evidence", "proposals", "notices", "hearings", "reviews", "discussions",
                 "extensions", "decisions", "payments", "instalments", "deadlines",
                 "documents"):
        assert getattr(case, attr), attr
    assert case.decision is not None and case.decision.fine == 6_000_000
    assert [(i.due, i.amount) for i in case.instalments] == [
        (date(2020, 7, 10), 3_000_000), (date(2020, 8, 10), 3_000_000)]
    assert case.payments[0].amount == 3_000_000
    assert case.decision.decided_at == datetime(2020, 6, 19, 10, 0, tzinfo=SHANGHAI)
    assert case.decision.decided_at.utcoffset() == timedelta(hours=8)
    assert case.hearing is not None and case.hearing.scheduled_at is not None
    assert case.hearing.scheduled_at.isoformat() == "2020-06-16T09:00:00+08:00"
    assert case.history_length == len(MAJOR_FINE) == view["history_length"]
    assert cf.view(case_id) == view


def test_a_warning_an_action_gives_is_still_on_the_case_when_read_again(db_url: str) -> None:
    """A warning recorded by an accepted action stays in the stored case's warnings."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "record"))
    outcome = act(cf, clock, "2020-06-08T09:00", "zhang", "propose", case_id, {
        "violations": [{"code": "WSL-99-1", "tier": "一般", "facts": "未设置警示标志"}],
        "penalties": [{"type": "fine", "amount": 35000}]})
    assert outcome.ok and "outside_discretion_benchmark" in outcome.warnings
    assert "outside_discretion_benchmark" in cf.view(case_id)["warnings"]
