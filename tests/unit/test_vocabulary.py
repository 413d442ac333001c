"""Every code an officer can meet has a Chinese name."""

from casefiles.domain.errors import REFUSAL_CODES, WARNING_CODES
from casefiles.domain.registry import ACTIONS as ACTION_SPECS
from casefiles.domain.vocabulary import ACTIONS, REFUSALS, SECTORS, WARNINGS


def test_every_refusal_warning_and_action_has_a_chinese_name() -> None:
    """The vocabulary covers exactly the contract's refusal and warning codes and actions."""
    assert set(REFUSALS) == set(REFUSAL_CODES)
    assert set(WARNINGS) == set(WARNING_CODES)
    assert set(ACTIONS) == set(ACTION_SPECS)


def test_the_four_sectors_of_the_seed_have_their_chinese_names() -> None:
    """非煤矿山, 危险化学品, 烟花爆竹 and 工贸 as the bureau's report names them."""
    assert [SECTORS[s] for s in ("non_coal_mine", "hazardous_chemicals", "fireworks",
                                 "industry_trade")] == ["非煤矿山", "危险化学品", "烟花爆竹", "工贸"]


def test_every_deadline_the_sweep_can_miss_has_a_chinese_name() -> None:
    """The sweep's deadline kinds are all named for the officer (办案期限, 缴款期限, ...)."""
    from casefiles.domain.sweep import LATE_WARNINGS
    from casefiles.domain.vocabulary import DEADLINES

    assert set(LATE_WARNINGS) == set(DEADLINES)


def test_the_documents_name_every_penalty_outcome_evidence_kind_method_and_checklist_item(
) -> None:
    """What a document prints in Chinese covers every value the payloads accept."""
    from typing import get_args

    from casefiles.domain import payloads as P
    from casefiles.domain.vocabulary import (
        CHECKLIST_ITEMS,
        EVIDENCE_KINDS,
        OUTCOMES,
        PENALTIES,
        SERVICE_METHODS,
    )

    def accepted(model: type, name: str) -> set[str]:
        return set(get_args(model.model_fields[name].annotation))

    assert list(CHECKLIST_ITEMS) == list(P.CHECKLIST)
    assert set(PENALTIES) == accepted(P.PenaltyIn, "type")
    assert set(OUTCOMES) == accepted(P.Decide, "outcome")
    assert set(EVIDENCE_KINDS) == accepted(P.Record, "kind")
    assert set(SERVICE_METHODS) == accepted(P.Serve, "method")
