"""What the bureau is told about its own rule data (SPEC §5): unconfirmed figures, and from
1 November a next year whose holidays are missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casefiles.domain.notices import known_years, missing_next_year, start_up_notices
from casefiles.domain.policy import load_calendar, load_profile
from tests.support import POLICIES

PROFILE = load_profile(POLICIES, "hengshan")


def test_a_missing_next_year_is_announced_from_1_november() -> None:
    """31 October 2026 says nothing of 2027; 1 November 2026 names it."""
    calendar = load_calendar(POLICIES)
    assert missing_next_year(calendar, date(2026, 10, 31)) is None
    assert missing_next_year(calendar, date(2026, 11, 1)) == 2027
    assert any("2027年" in n.zh for n in start_up_notices(PROFILE, calendar, date(2026, 12, 4)))


def test_a_year_file_in_policies_ends_the_announcement(tmp_path: Path) -> None:
    """With calendars/2027.yaml the year is known, listed with its source, and not announced."""
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "2027.yaml").write_text(
        "year: 2027\nsource: 测试用假设安排\nholidays: [2027-01-01]\n", encoding="utf-8")
    calendar = load_calendar(tmp_path)
    assert missing_next_year(calendar, date(2026, 12, 4)) is None
    assert (2027, "测试用假设安排") in known_years(calendar)
    assert (2026, "chinesecalendar 软件包 / package") in known_years(calendar)


def test_start_up_names_every_unconfirmed_figure_in_chinese_first() -> None:
    """The hearing thresholds, the defence window, the recheck period and the WSL-99-1 tiers
    of both rule sets are named, Chinese before English."""
    notice = start_up_notices(PROFILE, load_calendar(POLICIES), date(2026, 6, 1))[0]
    for name in ("hearing_threshold", "defence_window_working_days", "recheck_working_days",
                 "provisions.WSL-99-1.tiers"):
        assert f"hengshan-2026 {name}" in notice.zh
    assert notice.text().index("尚待") < notice.text().index("await")
