"""The closed sets of values the case model holds as words: roles, outcomes, penalty types,
hearing and review statuses. The payload models accept exactly these; the case model and
its JSON document are typed by them."""

from __future__ import annotations

from typing import Literal

Role = Literal["officer", "reviewer", "head", "host", "supervisor", "system"]
Outcome = Literal["penalty", "no_penalty", "transfer"]
PenaltyType = Literal["warning", "fine", "confiscation", "suspension", "revocation", "closure"]
# 听证: requested by the party, scheduled by the bureau, then held or waived
HearingStatus = Literal["requested", "scheduled", "held", "waived"]
Verdict = Literal["pass", "return"]
# 法制审核 of the current proposal
ReviewStatus = Literal["not_required", "required", "passed", "returned"]
