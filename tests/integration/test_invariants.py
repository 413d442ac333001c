"""No sequence of actions, by anyone, at any time, breaks the engine's invariants (SPEC §2).

Hypothesis plays random actions of SCENARIOS.md's table — some guided along the lifecycle by
the right kind of person, some entirely random — with plausible and implausible payloads, on a
simulated clock that moves forward at random, one SQLite database per example."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    rule,
    run_state_machine_as_test,
)

from casefiles.domain.effects import fine_balance
from casefiles.domain.model import Case
from casefiles.domain.timefmt import local_date
from casefiles.services.audit import verify_all
from tests.support import CHECKLIST_YES, MINE, ORGANISATION, SHA_A, SHA_B, open_bureau

ACTIONS = ["register", "file", "decline", "record", "propose", "notify", "defend",
           "request_hearing", "schedule_hearing", "hold_hearing", "submit_review", "review",
           "discuss", "extend", "decide", "serve", "publish", "pay", "instalments", "remind",
           "apply_enforcement", "close", "archive", "revoke", "withdraw", "terminate"]
EVERYONE = ["zhang", "li", "newbie", "wang", "qian", "zhao", "sun", "chen", "system", "ghost"]
HEADS = ["zhao", "sun"]
BY_ROLE = {"head": HEADS, "reviewer": ["wang", "wang", "qian"], "host": ["chen", "chen", "sun"],
           "system": ["system", "zhao"]}
ROLE_OF = {"file": "head", "decline": "head", "schedule_hearing": "head", "discuss": "head",
           "extend": "head", "decide": "head", "instalments": "head",
           "apply_enforcement": "head", "close": "head", "revoke": "head", "terminate": "head",
           "review": "reviewer", "hold_hearing": "host", "publish": "system",
           "withdraw": "system"}
NEXT = {  # the actions that can move a case on from each state, likelier ones repeated
    "registered": ["file"],
    "investigating": ["record", "record"] + ["propose"] * 6 + ["extend"],
    "proposed": ["notify", "notify", "notify", "decide", "record"],
    "notified": ["defend", "defend", "request_hearing", "schedule_hearing", "submit_review",
                 "discuss", "decide", "decide", "decide"],
    "hearing": ["hold_hearing", "hold_hearing", "defend", "submit_review", "discuss", "decide"],
    "legal_review": ["review", "review", "discuss", "decide", "decide", "extend"],
    "decided": ["serve", "serve", "serve", "publish", "close", "revoke"],
    "served": ["pay", "pay", "pay", "instalments", "remind", "close", "publish", "revoke"],
    "executing": ["pay", "pay", "remind", "apply_enforcement", "close", "close"],
    "closed": ["archive", "withdraw", "publish"],
}
TEAMS = [["zhang", "li"]] * 5 + [["zhang", "sun"], ["li", "zhang", "zhang"], ["zhang"],
                                 ["zhang", "newbie"], ["zhang", "ghost"], []]
INDIVIDUAL = {"kind": "individual", "name": "孙某", "id_number": "430423198001011231",
              "address": "衡山县城关镇", "phone": "13800000000"}
HEARING_THRESHOLD = {"organisation": Decimal(50000), "individual": Decimal(20000)}
ANYTHING: st.SearchStrategy[Any] = st.sampled_from([None, {}, {"unknown": 1}, [], "text"])


def _iso(day: date) -> str:
    return day.isoformat()


def register_payloads(today: date) -> st.SearchStrategy[Any]:
    """Registrations: mostly valid, some past the limitation period, some malformed."""
    good = st.builds(lambda party, violated, harm, sector: {
        "source": "inspection", "sector": sector, "party": party, "summary": "检查发现",
        "violation_date": violated, "harm": harm},
        st.sampled_from([ORGANISATION, MINE, INDIVIDUAL]),
        st.sampled_from(["2020-05-20", "2020-01-02", "2017-03-01", _iso(today)]),
        st.booleans(), st.sampled_from(["non_coal_mine", "fireworks", "industry_trade"]))
    bad = st.sampled_from([
        {"source": "inspection", "sector": "other", "summary": "x", "violation_date": "2020-05-20",
         "party": {**ORGANISATION, "credit_code": "91430423MA4QTRADX0"}},
        {"source": "inspection", "sector": "other", "summary": "x", "party": ORGANISATION,
         "violation_date": _iso(today + timedelta(days=3))},
        {"source": "rumour", "sector": "other", "summary": "x", "party": ORGANISATION,
         "violation_date": "2020-02-30"},
    ])
    return st.one_of(good, good, bad, ANYTHING)


def _proposal(code: str, tier: str, *penalties: dict[str, Any]) -> dict[str, Any]:
    return {"violations": [{"code": code, "tier": tier, "facts": "事实"}],
            "penalties": list(penalties)}


def _fine(amount: object, **extra: str) -> dict[str, Any]:
    return {"type": "fine", "amount": amount, **extra}


PROPOSALS = [  # valid for an organisation unless noted; around the thresholds and benchmarks
    _proposal("WSL-97-4", "一般", _fine("8000.50")),
    _proposal("WSL-97-4", "一般", _fine(8000), {"type": "warning"}),
    _proposal("WSL-99-1", "一般", _fine(15000)),
    _proposal("WSL-99-1", "一般", _fine(35000)),  # outside the discretion benchmark
    _proposal("WSL-97-4", "较重", _fine("49999.99")),
    _proposal("WSL-97-4", "较重", _fine(50000)),  # hearing threshold, inclusive
    _proposal("WSL-99-1-late", "一般", _fine(60000)),
    _proposal("WSL-99-1-late", "严重", _fine(60000), {"type": "suspension"}),
    _proposal("WSL-99-1", "轻微", {"type": "warning"}),
    _proposal("WSL-99-person", "一般", _fine(15000)),  # an individual party
    _proposal("WSL-97-person", "一般", _fine(20000)),  # an individual party, threshold
    {"violations": [{"code": "WSL-101", "tier": "一般", "facts": "事实"}],
     "outcome": "no_penalty"},
    {"violations": [{"code": "WSL-101", "tier": "严重", "facts": "事实"}], "outcome": "transfer"},
]


def propose_payloads(good_only: bool) -> st.SearchStrategy[Any]:
    """Proposals around the statutory ranges, benchmarks and hearing thresholds."""
    amounts = st.sampled_from([5000, 15000, 20000, 50000, 60000, 80000, 150000]
                              + ([] if good_only else [-1, "1.001"]))
    violation = st.builds(lambda code, tier: {"code": code, "tier": tier, "facts": "事实"},
                          st.sampled_from(["WSL-99-1", "WSL-97-4", "WSL-99-1-late",
                                           "WSL-97-person"] + ([] if good_only else ["NO-SUCH"])),
                          st.sampled_from(["轻微", "一般", "较重", "严重"]))
    fine = st.builds(lambda a, on: {"type": "fine", "amount": a} | ({"on": on} if on else {}),
                     amounts, st.sampled_from([None, None, None, "unit", "刘建国"]))
    penalty = st.one_of(fine, fine, fine, st.just({"type": "warning"}),
                        st.just({"type": "suspension"}))
    mixed = st.builds(lambda v, p: {"violations": v, "penalties": p},
                      st.lists(violation, min_size=1, max_size=2),
                      st.lists(penalty, min_size=1, max_size=2))
    return st.one_of(*[st.sampled_from(PROPOSALS)] * 4, mixed)


def payloads(action: str, today: date, fine: Decimal, owed: Decimal,
             good_only: bool = False) -> st.SearchStrategy[Any]:
    """Payloads of ``action`` on ``today``: plausible ones, and unless ``good_only`` also
    implausible ones (wrong types, missing fields, bad dates and amounts). Money in yuan."""
    good, bad = _payloads(action, today, fine, owed)
    return good if good_only else st.one_of(good, good, good, bad, ANYTHING)


def _payloads(action: str, today: date, fine: Decimal,
              owed: Decimal) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    nothing = st.just(None)
    in_days = st.integers(-2, 25).map(lambda n: today + timedelta(days=n))
    match action:
        case "register":
            return register_payloads(today), ANYTHING
        case "file":
            return (st.builds(lambda t: {"investigators": t, "cause": "违法"},
                              st.sampled_from(TEAMS)), st.just({"investigators": "zhang"}))
        case "decline" | "terminate" | "revoke":
            return st.just({"reason": "原因"}), st.sampled_from([{"reason": ""}, {}])
        case "record":
            return (st.builds(lambda k, t, sha: {"kind": k, "title": "证据", "officers": t}
                              | ({"sha256": sha} if sha else {}),
                              st.sampled_from(["inquiry", "inspection", "document"]),
                              st.sampled_from(TEAMS), st.sampled_from([None, SHA_A])),
                    st.just({"kind": "bogus", "title": "x", "officers": ["zhang", "li"],
                             "sha256": "not-a-hash"}))
        case "propose":
            return propose_payloads(True), propose_payloads(False)
        case "defend":
            return (st.sampled_from([{"waive": True}, {"statement": "请求从轻"}]),
                    st.sampled_from([{}, {"waive": True, "statement": "x"}]))
        case "request_hearing":
            return (st.one_of(nothing, st.just({"requested_on": _iso(today)})),
                    in_days.map(lambda d: {"requested_on": _iso(d)}))
        case "schedule_hearing":
            return (st.builds(lambda host, d, n: {"host": host, "at": f"{_iso(d)}T09:00",
                                                  "place": "听证室", "notified_on": _iso(n)},
                              st.sampled_from(["chen", "chen", "chen", "sun", "zhang"]),
                              st.integers(3, 30).map(lambda n: today + timedelta(days=n)),
                              st.sampled_from([today, today - timedelta(days=1)])),
                    st.sampled_from([{"host": "ghost", "at": "x", "place": "p"},
                                     {"host": "chen", "at": f"{_iso(today)}T09:00", "place": "p",
                                      "notified_on": _iso(today + timedelta(days=1))}]))
        case "hold_hearing":
            return (st.builds(lambda att, sha: {"attended": att, "summary": "听证"}
                              | ({"record_sha256": sha} if sha else {}),
                              st.sampled_from([True, True, False]),
                              st.sampled_from([SHA_B, SHA_B, None])),
                    st.just({"attended": "yes"}))
        case "review":
            return (st.builds(lambda verdict: {"verdict": verdict, "opinion": "意见",
                                               "checklist": CHECKLIST_YES},
                              st.sampled_from(["pass", "pass", "pass", "return"])),
                    st.just({"verdict": "pass", "opinion": "x",
                             "checklist": CHECKLIST_YES | {"rights_protected": False}}))
        case "discuss":
            return (st.builds(lambda n: {"attendees": ["赵强", "孙丽", "周明", "吴磊"][:n],
                                         "conclusion": "同意"}, st.sampled_from([2, 3, 3, 4])),
                    st.just({"attendees": "赵强", "conclusion": "x"}))
        case "extend":
            return (st.just({"days": 30, "reason": "复杂"}),
                    st.sampled_from([{"days": 0, "reason": "x"}, {"days": "30", "reason": "x"}]))
        case "decide":
            lighter = {"type": "fine", "amount": str(max(fine - 1000, Decimal(1)))}
            penalty: list[dict[str, Any]] = [{"outcome": "penalty"}] * 4 + [
                {"outcome": "penalty", "penalties": [lighter]},
                {"outcome": "penalty", "penalties": [{"type": "fine", "amount": 99999}]},
                {"outcome": "penalty", "penalties": [{"type": "warning"}]}]
            other: list[dict[str, Any]] = [{"outcome": "no_penalty"}, {"outcome": "transfer"}]
            return (st.sampled_from(penalty + other if fine else other),
                    st.sampled_from([{}, {"outcome": "penalty", "penalties": []}]))
        case "serve":
            return (st.sampled_from([{"method": "in_person", "recipient": "黄志勇"},
                                     {"method": "post", "recipient": "黄志勇"}]),
                    st.just({"method": "pigeon", "recipient": "x"}))
        case "pay":
            return (st.builds(lambda a, d: {"amount": str(a)} | ({"paid_on": _iso(d)} if d else {}),
                              st.sampled_from([owed, owed, fine, (owed / 2).quantize(Decimal(1)),
                                               Decimal(2400)]),
                              st.sampled_from([None, None, today, today - timedelta(days=20)])),
                    st.sampled_from([{"amount": "0"}, {"amount": "-5"},
                                     {"amount": "100000000"},
                                     {"amount": "1", "paid_on": _iso(today + timedelta(1))}]))
        case "instalments":
            half = str((fine / 2).quantize(Decimal("0.01")))
            rest = str(fine - (fine / 2).quantize(Decimal("0.01")))
            return (st.just({"schedule": [
                        {"due": _iso(today + timedelta(days=20)), "amount": half},
                        {"due": _iso(today + timedelta(days=50)), "amount": rest}]}),
                    st.sampled_from([{"schedule": []}, {"schedule": [
                        {"due": _iso(today + timedelta(days=20)), "amount": "1"}]}]))
        case "apply_enforcement":
            return st.just({"court": "衡山县人民法院"}), st.just({})
        case "close":
            return st.just({"summary": "结案"}), st.just({})
        case _:
            return st.one_of(nothing, st.just({})), st.just({"unknown": 1})


def best_next(view: dict[str, Any]) -> str:
    """What a diligent officer would do next with the case, read from its view."""
    state, flags = view["state"], view["flags"]
    review_due = flags["legal_review_required"] and view["review"]["status"] != "passed"
    hearing = view["hearing"]["status"]
    match state:
        case "proposed":
            return "notify" if view["penalties"] else "decide"
        case "notified" if hearing == "requested":
            return "schedule_hearing"
        case "notified" if not (view.get("notice") or {}).get("waived"):
            return "defend"
        case "notified" | "hearing" if hearing == "scheduled":
            return "hold_hearing"
        case "notified" | "hearing":
            return "submit_review" if review_due else "decide"
        case "legal_review" if review_due:
            return "review"
        case "legal_review":
            discussed = any(d["kind"] == "集体讨论记录" for d in view["documents"])
            return "discuss" if flags["collective_discussion_required"] and not discussed \
                else "decide"
        case "served" | "executing" if view["amounts"]["outstanding"]:
            return "pay"
        case "decided":
            return "serve"
    return {"registered": "file", "investigating": "propose", "served": "close",
            "executing": "close", "closed": "archive"}[state]


def fines_of(penalties: list[Any]) -> Decimal:
    return Decimal(sum(p.amount or 0 for p in penalties if p.type == "fine")) / 100


class CaseLifecycle(RuleBasedStateMachine):
    """Random actions on a few cases; the invariants are checked after every action."""

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="casefiles-invariants-"))
        self.cf, self.clock = open_bureau(f"sqlite:///{self.tmp / 'casefiles.db'}")

    def teardown(self) -> None:
        self.cf.engine.dispose()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def today(self) -> date:
        return local_date(self.clock.now())

    # --- steps ------------------------------------------------------------------------------

    def _act(self, by: str, action: str, case: str | None, payload: Any,
             expected_version: int | None = None) -> str | None:
        """Take one action, check what it did to the case, then every invariant."""
        before = self.cf.view(case) if case else None
        count = self._count()
        outcome = self.cf.act(by, action, case, payload, expected_version)
        if case is None:
            assert self._count() == count + outcome.ok
        else:
            assert before is not None
            after = self.cf.view(case)
            assert after["history_length"] == before["history_length"] + 1
            assert outcome.state == after["state"]
            last = self.cf.history(case)[-1]
            assert (last.actor, last.action, last.result) == (by, action, outcome.result)
            if not outcome.ok:
                assert outcome.code == outcome.codes[0] and last.codes == outcome.codes
                assert after == before | {"history_length": before["history_length"] + 1}, (
                    action, outcome.codes)
        self.check_every_invariant()
        return outcome.case_id if case is None and outcome.ok else None

    def _count(self) -> int:
        with self.cf.uow() as uow:
            return uow.cases.count()

    @initialize(target=cases, parties=st.lists(st.sampled_from([ORGANISATION, MINE, INDIVIDUAL]),
                                               min_size=1, max_size=2, unique_by=str))
    def first_cases(self, parties: list[dict[str, str]]) -> Any:
        ids = [self._act("zhang", "register", None, {
            "source": "complaint", "sector": "industry_trade", "party": party,
            "summary": "未培训", "violation_date": "2020-05-20"}) for party in parties]
        assert all(ids)
        return multiple(*ids)

    @rule(hours=st.one_of(st.integers(0, 30), st.integers(0, 30), st.integers(30, 24 * 45)))
    def time_passes(self, hours: int) -> None:
        self.clock.set(self.clock.now() + timedelta(hours=hours, minutes=7))

    @rule(case=cases, data=st.data())
    def next_steps(self, case: str, data: st.DataObject) -> None:
        """One to five actions that could move the case on, mostly by the right person."""
        for _ in range(data.draw(st.integers(1, 5), label="how many")):
            view = self.cf.view(case)
            if view["state"] not in NEXT:
                return
            action = data.draw(st.one_of(st.just(best_next(view)),
                                         st.sampled_from(NEXT[view["state"]])), label="action")
            role = ROLE_OF.get(action)
            crew = BY_ROLE[role] if role else (view["investigators"] or ["zhang"])
            by = data.draw(st.one_of(*[st.sampled_from(crew)] * 5, st.sampled_from(EVERYONE)),
                           label="by")
            proposed = sum((Decimal(str(p.get("amount", 0))) for p in view["penalties"]),
                           Decimal(0))
            fine = Decimal(str(view["amounts"]["fine"])) or proposed
            owed = Decimal(str(view["amounts"]["outstanding"])) or fine
            good_only = data.draw(st.integers(0, 5), label="plausible") > 0
            payload = data.draw(payloads(action, self.today, fine, owed, good_only),
                                label="payload")
            self._act(by, action, case, payload)
            if data.draw(st.booleans(), label="a day passes"):
                self.clock.set(self.clock.now() + timedelta(hours=data.draw(
                    st.integers(1, 24 * 8), label="hours")))

    @rule(case=cases, action=st.sampled_from(ACTIONS), by=st.sampled_from(EVERYONE),
          stale=st.integers(0, 4).map(lambda n: n == 0), data=st.data())
    def any_step(self, case: str, action: str, by: str, stale: bool,
                 data: st.DataObject) -> None:
        """Any action by anyone with any payload, sometimes against an outdated version."""
        payload = data.draw(payloads(action, self.today, Decimal(60000), Decimal(60000)),
                            label="payload")
        if action == "register":
            self._act(by, action, None, payload)
            return
        version = self.cf.view(case)["version"] - 1 if stale else None
        self._act(by, action, case, payload, version)

    # --- invariants -------------------------------------------------------------------------

    def check_every_invariant(self) -> None:
        """Every invariant, over every case of the database."""
        with self.cf.uow() as uow:
            assert verify_all(uow).breaks == []
            cases = [c for c in (uow.cases.get(i) for i in uow.cases.ids()) if c is not None]
        for case in cases:
            self.decision_had_what_it_needs(case)
            self.closed_case_owes_nothing_unless_sent_to_court(case)

    @staticmethod
    def decision_had_what_it_needs(case: Case) -> None:
        """A notice and a closed defence window before a penalty, no heavier than notified, no
        hearing pending, in time; a passing review and a discussion where required."""
        decision = case.decision
        if decision is None:
            return
        proposal = case.proposal
        assert proposal is not None
        decided_on = local_date(decision.decided_at)
        if decision.outcome == "penalty":
            notice = case.notice
            assert notice is not None, "penalty decided without a served notice"
            assert notice.notified_at <= decision.decided_at
            waived = any(d.waived and d.proposal_no == case.proposal_no
                         and d.at <= decision.decided_at for d in case.defences)
            assert waived or decided_on > notice.defence_due, "decided in the defence window"
            assert fines_of(decision.penalties) <= fines_of(proposal.penalties), (
                "decided a heavier fine than notified")
        assert case.hearing is None or case.hearing.status in ("held", "waived"), (
            "decided while a requested hearing was pending")
        deadline = case.deadline("decision")
        assert deadline is not None and decided_on <= deadline.due, "decided after the deadline"
        if review_required(case, decision.outcome):
            passes = [r for r in case.reviews if r.verdict == "pass"
                      and r.proposal_no == case.proposal_no and r.at <= decision.decided_at]
            assert passes, "decided while legal review was required and not passed"
            talks = [d for d in case.discussions if d.proposal_no == case.proposal_no
                     and len(set(d.attendees)) >= 3 and d.at <= decision.decided_at]
            assert talks, "decided without the required collective discussion"

    def closed_case_owes_nothing_unless_sent_to_court(self, case: Case) -> None:
        """Closing needs the money paid, a court application, or no execution at all."""
        if case.closed_at is None:
            return
        assert case.state.value in ("closed", "archived")
        decision = case.decision
        assert decision is not None
        needs_execution = (decision.outcome == "penalty" and decision.revoked_at is None
                           and decision.fine > 0)
        if needs_execution and not case.enforcements:
            rules = self.cf.profile.rule_set(case.rule_set_id)
            owed = fine_balance(case, rules, local_date(case.closed_at)).outstanding
            assert owed == 0, f"closed with {owed} fen owed and no court application"


def review_required(case: Case, outcome: str) -> bool:
    """hengshan's catalogue of major decisions (SPEC §3), recomputed from the records."""
    def eligible(proposal: Any) -> bool:
        threshold = HEARING_THRESHOLD[case.party.kind]
        seized = Decimal(sum(p.amount or 0 for p in proposal.penalties
                             if p.type == "confiscation")) / 100
        return proposal.outcome == "penalty" and (
            fines_of(proposal.penalties) >= threshold or seized >= threshold
            or any(p.type in ("suspension", "revocation", "closure") for p in proposal.penalties))

    assert case.proposal is not None
    return (eligible(case.proposal) or any(h.status == "held" for h in case.hearings)
            or (outcome in ("no_penalty", "transfer") and any(map(eligible, case.proposals))))


def test_no_sequence_of_actions_breaks_an_invariant() -> None:
    """Random actions by random people over random time keep every invariant after each step."""
    # No shrinking: shrinking runs over a database use up Hypothesis's five-minute budget
    # and make slow progress; a failure prints the steps as generated instead.
    run_state_machine_as_test(CaseLifecycle, settings=settings(
        max_examples=40, stateful_step_count=25, deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
