"""A half-year of work for the report's pages and PDF (SPEC §7), taken through the services as
the bureau would, on cases of today (no drill): an inspection of the mine with two hazards and
an order, and the small fine of :data:`tests.support.SMALL_FINE` in 2026 (decided and paid in
June). The figures the tests expect are derived from these steps, not typed in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from casefiles.clock import SimulatedClock
from casefiles.services import inspections as S
from casefiles.services.app import Casefiles
from tests.support import MINE, SMALL_FINE, in_2026, moment, play

HAZARDS = [{"ref": "h1", "description": "破碎机皮带防护罩缺失", "level": "general",
            "provision": "WSL-99-1", "fix": "deadline"},
           {"ref": "h2", "description": "边坡台阶高度超过设计，存在坍塌危险", "level": "major",
            "fix": "deadline"}]
FINE_STEPS = in_2026(SMALL_FINE)


@dataclass(frozen=True)
class Done:
    """What the world did, as the report should count it."""

    inspection_sector: str
    hazards: int
    major_hazards: int
    orders: int
    case_sector: str
    fine: Decimal  # decided and paid, yuan
    paid_on: str


def half_year(cf: Casefiles, clock: SimulatedClock) -> Done:
    """Inspect, order and fine as the module says; what was done."""
    clock.set(moment("2026-03-02T09:30"))
    insp = S.act(cf, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场及破碎车间",
        "officers": ["zhang", "li"], "signed_by": "刘建国", "hazards": HAZARDS})
    assert insp.ok, insp.message
    order = S.act(cf, "zhang", "order", insp.case_id, {"hazards": ["h1", "h2"],
                                                         "deadline": "2026-03-13"})
    assert order.ok, order.message
    play(cf, clock, FINE_STEPS)
    payload = next(p for _at, _by, action, p in FINE_STEPS if action == "pay")
    paid = next(at for at, _by, action, _p in FINE_STEPS if action == "pay")
    register = FINE_STEPS[0][3]
    assert payload is not None and register is not None
    return Done(inspection_sector="non_coal_mine", hazards=len(HAZARDS),
                major_hazards=sum(h["level"] == "major" for h in HAZARDS), orders=1,
                case_sector=register["sector"], fine=Decimal(str(payload["amount"])),
                paid_on=paid[:10])
