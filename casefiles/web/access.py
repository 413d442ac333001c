"""Who may see which case, and which actions a page offers. The domain judges every action;
these rules only decide what a page shows, so that no case is reachable by guessing its URL.

What the bureau expects (written down here, tested in tests/web/test_access_matrix.py):

- the head (负责人) approves filing, decisions and closing of every case: sees every case;
- supervisors (监督人员) read every case, its full history and its verification: see every case,
  take no action;
- a case officer (执法人员) sees the cases they registered or investigate, and no other;
- a legal reviewer (法制审核人员) sees the cases waiting in legal review of which they are not
  an investigator, and the cases they have reviewed;
- a hearing host sees the cases whose hearing they host.
A person holding several roles sees the union. A case one may not see answers 404, as one that
does not exist does, and shows nothing of the case, whatever the URL.
"""

from __future__ import annotations

from casefiles.domain.decision import publication_refusals, withdrawal_refusals
from casefiles.domain.engine import may_take
from casefiles.domain.machine import allowed
from casefiles.domain.model import Case, Person
from casefiles.domain.registry import ACTIONS
from casefiles.domain.states import CaseState

# who reads the statistics (SPEC §7): the 统计 page, its downloads, /api/report, the landing
# figures and the navigation link all ask this one tuple
STATISTICS_ROLES: tuple[str, ...] = ("head", "supervisor")

# Actions that the web offers on a case page, in the order of the lifecycle ("system" is the
# flows' role: people act as head for publish and withdraw).
CASE_ACTIONS: tuple[str, ...] = tuple(a for a in ACTIONS if a != "register")


def can_see(person: Person, case: Case) -> bool:
    """Whether ``person`` may open ``case`` (see the module's docstring)."""
    if not person.active:
        return False
    if person.has_role("head") or person.has_role("supervisor"):
        return True
    if person.has_role("officer") and (
            person.id == case.registered_by or person.id in case.investigators):
        return True
    if person.has_role("reviewer"):
        if case.state is CaseState.LEGAL_REVIEW and person.id not in case.investigators:
            return True
        if any(r.reviewer == person.id for r in case.reviews):
            return True
    return person.has_role("host") and any(h.host == person.id for h in case.hearings)


def sees_statistics(person: Person) -> bool:
    """The head and supervisors read the statistics; no one else."""
    return any(person.has_role(r) for r in STATISTICS_ROLES)


def offered(person: Person, case: Case) -> list[str]:
    """The actions the case machine allows now that ``person`` holds the role for."""
    out = []
    for name in CASE_ACTIONS:
        if not allowed(case.state, name) or not may_take(person, name, case):
            continue
        if not _fits_decision(name, case):
            continue
        out.append(name)
    return out


def _fits_decision(name: str, case: Case) -> bool:
    """Publication, revocation and withdrawal concern a decision in a given standing (the
    domain's own answers for publication and withdrawal)."""
    if name == "publish":
        return not publication_refusals(case)
    if name == "withdraw":
        return not withdrawal_refusals(case)
    if name == "revoke":
        return case.decision is not None and case.decision.revoked_at is None
    return True


def workplaces(person: Person) -> list[tuple[str, str]]:
    """The pages of the navigation bar for ``person``'s roles: (path, Chinese label)."""
    links: list[tuple[str, str]] = []
    if person.has_role("officer"):
        links += [("/mine", "我的案件"), ("/register", "案源登记"), ("/complaints", "投诉举报")]
    if person.has_role("reviewer"):
        links.append(("/queue/review", "待审核"))
    if person.has_role("host"):
        links.append(("/queue/hearings", "听证"))
    if person.has_role("head"):
        links += [("/queue/head", "待审批"), ("/cases", "全部案件")]
    if person.has_role("supervisor") and not person.has_role("head"):
        links.append(("/cases", "全部案件"))
    if any(person.has_role(r) for r in ("officer", "head", "supervisor")):
        links.append(("/inspections", "检查记录"))  # inspections (SPEC §6)
    if person.has_role("head"):
        links.append(("/queue/inspections", "检查督办"))
    if sees_statistics(person):
        links.append(("/stats", "统计"))  # statistics (SPEC §7)
    return links
