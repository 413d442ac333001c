"""Refusal and warning codes, in the precedence of SCENARIOS.md, and the domain's exceptions."""

from __future__ import annotations

from dataclasses import dataclass

REFUSAL_CODES: tuple[str, ...] = (
    "unknown_person",
    "not_allowed_in_state",
    "forbidden_role",
    "invalid_input",
    "too_few_officers",
    "officer_not_certified",
    "too_few_attendees",
    "conflict_of_interest",
    "reviewer_not_qualified",
    "limitation_expired",
    "amount_out_of_range",
    "notice_required",
    "defence_window_open",
    "heavier_than_notified",
    "hearing_not_available",
    "hearing_request_late",
    "hearing_notice_too_short",
    "hearing_pending",
    "evidence_missing",
    "legal_review_required",
    "collective_discussion_required",
    "decision_overdue",
    "appeal_period_open",
    "enforcement_window_closed",
    "reminder_period_open",
    "execution_incomplete",
    "stale_version",
    # inspections (SPEC §6)
    "approval_required",
    "extension_used",
    "hazard_not_eliminated",
    "rectification_period_open",
    "uncorrected_order_required",
)

WARNING_CODES: tuple[str, ...] = (
    "outside_discretion_benchmark",
    "service_late",
    "publication_late",
    "withdrawal_late",
    "payment_late",
    "calendar_unconfirmed",
    "lighter_law_applied",
    "rule_unconfirmed",
    "first_violation_exemption",
    "preservation_late",
    "recheck_late",
    "approval_pending",
)

_RANK = {code: i for i, code in enumerate(REFUSAL_CODES)}


@dataclass(frozen=True)
class Refusal:
    """One reason an action is refused: its code, the field at fault, and why in two languages."""

    code: str
    zh: str
    en: str
    field: str | None = None

    def __post_init__(self) -> None:
        if self.code not in _RANK:
            raise ValueError(f"unknown refusal code {self.code!r}")

    @property
    def message(self) -> str:
        """Chinese, then English, with the field named when there is one."""
        where = f" [{self.field}]" if self.field else ""
        return f"{self.zh} / {self.en}{where}"


def ordered(refusals: list[Refusal]) -> list[Refusal]:
    """Refusals sorted by the contract's precedence (stable within one code)."""
    return sorted(refusals, key=lambda r: _RANK[r.code])


def codes_of(refusals: list[Refusal]) -> list[str]:
    """The distinct codes of ``refusals``, in precedence order."""
    seen: list[str] = []
    for r in ordered(refusals):
        if r.code not in seen:
            seen.append(r.code)
    return seen


class CasefilesError(Exception):
    """Base of every error casefiles raises on purpose."""


class PolicyError(CasefilesError):
    """A policy file is missing or malformed; names the file and the field."""


class CalendarError(CasefilesError):
    """A calendar data file in policies/ is malformed."""


class InvalidPersonError(CasefilesError):
    """A person to add or update is malformed; names the field."""


class CaseNotFoundError(CasefilesError):
    """No case has the given id or number."""


class ScenarioError(CasefilesError):
    """A scenario file is not valid; names the file, the step and the field."""


class ComplaintNotFoundError(CasefilesError):
    """No waiting complaint has the given id (unknown, or handled already)."""


class TooManyComplaintsError(CasefilesError):
    """More complaints from one sender in an hour than the settings allow."""


class NotArchivedError(CasefilesError):
    """The case has no case file yet: it is not archived."""


class DossierError(CasefilesError):
    """The case file could not be built (a document is missing or its stored file changed)."""


class OperatorFileError(CasefilesError):
    """The CLI was given a file it must not read as evidence (missing, not a regular file, the
    database or a file of the data directory)."""


class VerifierFailedError(CasefilesError):
    """A process verifying part of the history failed: the audit has no answer (not a break)."""


class NotJSONError(ValueError):
    """Text that is not strict JSON, or a value that has no strict JSON form; ``where`` names
    the place (``party.name``), empty for the whole document."""

    def __init__(self, en: str, where: str = "") -> None:
        super().__init__(f"{en} [{where}]" if where else en)
        self.en, self.where = en, where


class FontMissingError(CasefilesError):
    """The Debian CJK font the documents need is not installed."""


class StoredFileChangedError(CasefilesError):
    """A stored file no longer has the SHA-256 the history recorded for it."""


class FetchRefusedError(ValueError):
    """A document asked WeasyPrint for a file or URL that is not one of the project's assets."""


class CaseChangedUnderLockError(CasefilesError):
    """The case row changed under a unit of work that holds its lock: it cannot, short of a
    bug, and is raised rather than lose a write."""
