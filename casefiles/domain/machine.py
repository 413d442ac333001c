"""The case machine: which action may move a case from which state, and where to.

Strict semantics (``StateMachine``): an event with no transition from the current state raises
``TransitionNotAllowed``. ``not_filed`` and ``terminated`` are final; ``archived`` is the end of
the main path but keeps one event, the withdrawal of a revoked decision's publication, which
changes nothing in the sealed dossier. The machine knows nothing of storage, people or
documents; the payload-dependent branch (a review that returns) is a guard on the event's
keyword arguments.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed
from statemachine.states import States

from casefiles.domain.states import CaseState

_S = States.from_enum(
    CaseState,
    initial=CaseState.REGISTERED,
    final={CaseState.NOT_FILED, CaseState.TERMINATED},
    use_enum_instance=False,
)


def _stay(*states: State) -> Any:
    """An internal transition on each of ``states``: the action is allowed, the state stays."""
    first, *rest = states
    transitions = first.to.itself(internal=True)
    for s in rest:
        transitions |= s.to.itself(internal=True)
    return transitions


class CaseMachine(StateMachine):
    """The lifecycle of SPEC §1, with every action of SCENARIOS.md as an event."""

    # ``archived`` ends the main path without being final (it keeps ``withdraw``), so the
    # check that every state reaches a final one does not describe this lifecycle.
    validate_final_reachability = False

    registered = _S.REGISTERED
    investigating = _S.INVESTIGATING
    proposed = _S.PROPOSED
    notified = _S.NOTIFIED
    hearing = _S.HEARING
    legal_review = _S.LEGAL_REVIEW
    decided = _S.DECIDED
    served = _S.SERVED
    executing = _S.EXECUTING
    closed = _S.CLOSED
    archived = _S.ARCHIVED
    not_filed = _S.NOT_FILED
    terminated = _S.TERMINATED

    file = registered.to(investigating)
    decline = registered.to(not_filed)
    record = _stay(investigating, proposed, notified, hearing, legal_review)
    preserve = _stay(investigating)
    handle_preservation = _stay(investigating, proposed, notified, hearing, legal_review)
    propose = investigating.to(proposed)
    notify = proposed.to(notified)
    defend = _stay(notified, hearing)
    request_hearing = _stay(notified)
    schedule_hearing = notified.to(hearing)
    hold_hearing = _stay(hearing)
    submit_review = notified.to(legal_review) | hearing.to(legal_review)
    review = legal_review.to(investigating, cond="returned") | legal_review.to.itself(
        internal=True, unless="returned"
    )
    discuss = _stay(notified, hearing, legal_review)
    extend = _stay(investigating, proposed, notified, hearing, legal_review)
    decide = (
        proposed.to(decided) | notified.to(decided) | hearing.to(decided)
        | legal_review.to(decided)
    )
    serve = decided.to(served)
    publish = _stay(decided, served, executing, closed)
    pay = served.to(executing) | executing.to.itself(internal=True)
    instalments = served.to(executing) | executing.to.itself(internal=True)
    remind = served.to(executing) | executing.to.itself(internal=True)
    apply_enforcement = served.to(executing) | executing.to.itself(internal=True)
    close = decided.to(closed) | served.to(closed) | executing.to(closed)
    archive = closed.to(archived)
    revoke = _stay(decided, served, executing, closed)
    appeal = _stay(decided, served, executing, closed, archived)
    withdraw = _stay(
        registered, investigating, proposed, notified, hearing, legal_review, decided, served,
        executing, closed, archived,
    )
    terminate = (
        investigating.to(terminated) | proposed.to(terminated) | notified.to(terminated)
        | hearing.to(terminated) | legal_review.to(terminated)
    )

    def returned(self, verdict: str | None = None, **_: object) -> bool:
        """A review that returns the case sends it back to investigation."""
        return verdict == "return"


class _Holder:
    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def allowed(state: CaseState, action: str) -> bool:
    """Whether ``action`` has a transition from ``state`` (before any rule is asked)."""
    return target(state, action, {}) is not None


def target(state: CaseState, action: str, payload: dict[str, object]) -> CaseState | None:
    """The state ``action`` leads to from ``state``, or None when the machine refuses it."""
    verdict = payload.get("verdict")
    return _target(state, action, verdict if isinstance(verdict, str) else None)


@lru_cache(maxsize=1024)
def _target(state: CaseState, action: str, verdict: str | None) -> CaseState | None:
    # The machine is deterministic in (state, event, guard arguments): remember its answers,
    # since building one costs about 0.25 ms and every action asks.
    holder = _Holder(state.value)
    machine = CaseMachine(model=holder, state_field="state")
    try:
        machine.send(action, verdict=verdict)
    except TransitionNotAllowed:
        return None
    return CaseState(holder.state)
