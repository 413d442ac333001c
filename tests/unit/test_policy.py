"""The policy loader (SPEC §3, STYLE 5): the shipped profile loads, and a malformed profile or
calendar file stops start-up with an error that names the file and the field."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from casefiles.clock import SimulatedClock
from casefiles.domain.errors import CalendarError, PolicyError
from casefiles.domain.policy import load_calendar, load_profile
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from tests.support import POLICIES, moment

SHIPPED = (POLICIES / "hengshan.yaml").read_text(encoding="utf-8")


def _profile_dir(tmp_path: Path, text: str = SHIPPED) -> Path:
    """A policies dir whose hengshan.yaml holds ``text``."""
    (tmp_path / "hengshan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _edited(old: str, new: str) -> str:
    """The shipped profile with one exact piece of text replaced."""
    assert old in SHIPPED, f"the shipped profile no longer contains {old!r}"
    return SHIPPED.replace(old, new, 1)


def _calendar_dir(tmp_path: Path, body: str) -> Path:
    """A policies dir with the shipped profile and calendars/2027.yaml holding ``body``."""
    shutil.copyfile(POLICIES / "hengshan.yaml", tmp_path / "hengshan.yaml")
    (tmp_path / "calendars").mkdir(exist_ok=True)
    (tmp_path / "calendars" / "2027.yaml").write_text(body, encoding="utf-8")
    return tmp_path


# --- the shipped profile ------------------------------------------------------------------------


def test_the_shipped_hengshan_profile_carries_the_numbers_of_spec_section_3() -> None:
    """Thresholds, windows, the decision period and the surcharge rate are those of SPEC §3."""
    rules = load_profile(POLICIES, "hengshan").rule_set_for(date(2021, 9, 1))
    assert rules is not None
    assert rules.hearing_threshold.individual == Decimal(20000)
    assert rules.hearing_threshold.organisation == Decimal(50000)
    assert rules.defence_window_working_days.value == 3
    assert rules.hearing_request_working_days.value == 5
    assert rules.hearing_notice_working_days.value == 7
    assert rules.decision_days.value == 90
    assert rules.payment_days.value == 15
    assert rules.surcharge.daily_rate == Decimal("0.03")
    assert rules.collective_discussion.min_attendees.value == 3


def test_hengshan_2021_ends_on_31_january_2026_and_hengshan_2026_starts_the_next_day() -> None:
    """Order No. 18 takes effect on 1 February 2026: the 2021 rule set stops the day before,
    and nothing is covered before 1 September 2021."""
    profile = load_profile(POLICIES, "hengshan")
    assert profile.rule_set_for(date(2026, 1, 31)).id == "hengshan-2021"  # type: ignore[union-attr]
    assert profile.rule_set_for(date(2026, 2, 1)).id == "hengshan-2026"  # type: ignore[union-attr]
    assert profile.rule_set_for(date(2021, 8, 31)) is None


def test_a_rule_set_that_does_not_follow_the_one_before_is_refused(tmp_path: Path) -> None:
    """A gap between rule sets would leave days judged by nothing: start-up names it."""
    policies = _profile_dir(tmp_path, _edited("      from: 2026-02-01", "      from: 2026-02-02"))
    with pytest.raises(PolicyError, match="hengshan-2026"):
        load_profile(policies, "hengshan")


def test_the_catalogue_ranges_and_tiers_are_those_of_spec_section_3() -> None:
    """WSL-99-1 fines 0–50,000 with tier 一般 at 10,000–20,000; WSL-97-person 20,000–50,000."""
    rules = load_profile(POLICIES, "hengshan").rule_sets[0]
    p = rules.provision("WSL-99-1")
    assert p is not None and p.tiers is not None
    assert (p.range.min, p.range.max) == (0, 50000)
    assert (p.tiers["一般"].min, p.tiers["一般"].max) == (10000, 20000)
    person = rules.provision("WSL-97-person")
    assert person is not None and (person.range.min, person.range.max) == (20000, 50000)
    assert rules.provision("WSL-97-4") is not None
    assert rules.provision("WSL-97-4").tiers is None  # type: ignore[union-attr]


# --- malformed profiles -------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field"), [
    ("decision_days: {value: 90,", "decision_days: {value: ninety,",
     "rule_sets.0.decision_days.value"),
    ("organisation: 50000", "organisation: fifty thousand",
     "rule_sets.0.hearing_threshold.organisation"),
    ('daily_rate: "0.03"', 'daily_rate: "3%"', "rule_sets.0.surcharge.daily_rate"),
])
def test_a_text_where_a_number_is_expected_names_the_file_and_the_field(
        tmp_path: Path, old: str, new: str, field: str) -> None:
    """A word in place of a number is refused at start-up, naming hengshan.yaml and the field."""
    policies = _profile_dir(tmp_path, _edited(old, new))
    with pytest.raises(PolicyError) as caught:
        load_profile(policies, "hengshan")
    assert str(policies / "hengshan.yaml") in str(caught.value)
    assert field in str(caught.value)


@pytest.mark.parametrize(("old", "field"), [
    ("      payment_days: {value: 15, source: 行政处罚法第67条第3款}\n", "rule_sets.0.payment_days"),
    (", source: 行政处罚法第36条第1款}", "rule_sets.0.limitation_years.source"),
])
def test_a_missing_field_names_the_file_and_the_field(tmp_path: Path, old: str,
                                                      field: str) -> None:
    """A number without its line, or without its legal source, is refused by name."""
    policies = _profile_dir(tmp_path, _edited(old, "}\n" if old.startswith(",") else ""))
    with pytest.raises(PolicyError) as caught:
        load_profile(policies, "hengshan")
    assert "hengshan.yaml" in str(caught.value)
    assert field in str(caught.value)


def test_a_tier_whose_max_is_below_its_min_names_the_tier(tmp_path: Path) -> None:
    """An inverted discretion range is refused at the tier that holds it."""
    policies = _profile_dir(tmp_path, _edited("一般: {min: 10000, max: 20000}",
                                              "一般: {min: 20000, max: 10000}"))
    with pytest.raises(PolicyError, match=r"rule_sets\.0\.provisions\.12\.tiers\.一般"):
        load_profile(policies, "hengshan")


def test_an_unknown_field_in_a_profile_is_refused_by_name(tmp_path: Path) -> None:
    """A key the profile does not define is not silently ignored."""
    policies = _profile_dir(tmp_path, _edited("    uncorrected_order_required: false",
                                              "    payment_dayz: {value: 15, source: 无}\n"
                                              "    uncorrected_order_required: false"))
    with pytest.raises(PolicyError, match="payment_dayz"):
        load_profile(policies, "hengshan")


def test_a_profile_with_an_impossible_date_names_the_file_and_the_field(tmp_path: Path) -> None:
    """until: 2026-02-30 is refused with a PolicyError naming the file and field."""
    policies = _profile_dir(tmp_path, _edited("until: 2026-01-31",
                                              "until: 2026-02-30"))
    with pytest.raises(PolicyError) as caught:
        load_profile(policies, "hengshan")
    assert "hengshan.yaml" in str(caught.value)
    assert "applies.until" in str(caught.value)


def test_a_profile_that_is_not_yaml_names_the_file(tmp_path: Path) -> None:
    """Broken YAML is reported with the file's path."""
    policies = _profile_dir(tmp_path, SHIPPED + "\n  - : [\n")
    with pytest.raises(PolicyError, match="hengshan.yaml"):
        load_profile(policies, "hengshan")


def test_a_missing_profile_names_the_file(tmp_path: Path) -> None:
    """A profile that does not exist is reported with the path looked for."""
    with pytest.raises(PolicyError, match="nowhere.yaml"):
        load_profile(tmp_path, "nowhere")


def test_a_profile_whose_name_field_disagrees_with_its_file_is_refused(tmp_path: Path) -> None:
    """hengshan.yaml must declare profile: hengshan."""
    policies = _profile_dir(tmp_path, _edited("profile: hengshan", "profile: hengyang"))
    with pytest.raises(PolicyError, match="profile"):
        load_profile(policies, "hengshan")


def test_the_service_does_not_start_on_a_malformed_profile(tmp_path: Path) -> None:
    """Casefiles refuses to start, naming the file and the field."""
    policies = _profile_dir(tmp_path, _edited("decision_days: {value: 90,",
                                              "decision_days: {value: ninety,"))
    with pytest.raises(PolicyError, match=r"decision_days\.value"):
        Casefiles(Settings(policies_dir=policies), SimulatedClock(moment("2020-06-01")),
                  f"sqlite:///{tmp_path / 'x.db'}")


# --- calendar files -----------------------------------------------------------------------------


def test_a_calendar_file_with_an_impossible_date_names_the_file_and_the_field(
        tmp_path: Path) -> None:
    """30 February 2027 in holidays is refused, naming 2027.yaml and holidays."""
    policies = _calendar_dir(tmp_path, "year: 2027\nsource: 国办通知\n"
                                       "holidays: [2027-01-01, 2027-02-30]\n")
    with pytest.raises(CalendarError) as caught:
        load_calendar(policies)
    assert "2027.yaml" in str(caught.value)
    assert "holidays" in str(caught.value)


def test_a_calendar_file_without_its_source_names_the_field(tmp_path: Path) -> None:
    """Every calendar names the State Council notice it comes from."""
    policies = _calendar_dir(tmp_path, "year: 2027\nholidays: [2027-01-01]\n")
    with pytest.raises(CalendarError) as caught:
        load_calendar(policies)
    assert "2027.yaml" in str(caught.value)
    assert "source" in str(caught.value)


def test_a_calendar_file_listing_a_day_of_another_year_is_refused(tmp_path: Path) -> None:
    """A 2027 file cannot declare a holiday in 2028."""
    policies = _calendar_dir(tmp_path, "year: 2027\nsource: 国办通知\n"
                                       "holidays: [2027-01-01, 2028-01-01]\n")
    with pytest.raises(CalendarError) as caught:
        load_calendar(policies)
    assert "2027.yaml" in str(caught.value)
    assert "holidays" in str(caught.value)


def test_a_year_given_as_text_in_a_calendar_file_names_the_field(tmp_path: Path) -> None:
    """year: twenty-seven is refused at the field year."""
    policies = _calendar_dir(tmp_path, "year: twenty-seven\nsource: 国办通知\n"
                                       "holidays: [2027-01-01]\n")
    with pytest.raises(CalendarError) as caught:
        load_calendar(policies)
    assert "2027.yaml" in str(caught.value)
    assert "year" in str(caught.value)


def test_the_service_does_not_start_on_a_malformed_calendar(tmp_path: Path) -> None:
    """Casefiles refuses to start when calendars/2027.yaml is malformed."""
    policies = _calendar_dir(tmp_path, "year: 2027\nsource: 国办通知\nholidays: yes\n")
    with pytest.raises(CalendarError, match="2027.yaml"):
        Casefiles(Settings(policies_dir=policies), SimulatedClock(moment("2020-06-01")),
                  f"sqlite:///{tmp_path / 'x.db'}")
