"""An action is declared once, in the registry; every other list of actions must agree."""

from casefiles.domain.machine import CaseMachine
from casefiles.domain.payloads import PAYLOADS
from casefiles.domain.registry import ACTIONS
from casefiles.domain.vocabulary import ACTIONS as NAMES
from casefiles.web.forms import FORMS


def test_the_machine_payloads_forms_and_vocabulary_list_the_registrys_actions() -> None:
    """The machine has an event for every action but ``register`` (which makes the case it
    would move); the payload models, the web forms and the Chinese names cover exactly the
    registry's actions."""
    registry = set(ACTIONS)
    assert {e.id for e in CaseMachine.events} == registry - {"register"}
    assert set(PAYLOADS) == registry
    assert set(FORMS) == registry
    assert set(NAMES) == registry
