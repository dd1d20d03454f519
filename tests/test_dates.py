"""Document dates read in Quarto's forms and written per ``date-format`` (no render: the dates module alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmdrender.dates import format_date


@pytest.mark.parametrize(("value", "date_format", "shown"), [
    ("2024-12-05", None, "2024-12-05"),
    ("12/05/2024", "long", "December 5, 2024"),
    ("Dec 5 2024", "medium", "Dec 5, 2024"),
    # an ISO date followed by words: the date, as Quarto's title slide shows a course deck's
    # "2025-01-17 (updated: `r Sys.Date()`)"
    ("2025-01-17 (updated: `r Sys.Date()`)", None, "2025-01-17"),
    ("`r Sys.Date()`", None, "`r Sys.Date()`"),  # not a date: as written
    ("Spring 2026", "long", "Spring 2026"),
])
def test_a_date_is_read_as_quarto_reads_it_and_written_per_its_format(value, date_format, shown):
    assert format_date(value, date_format, Path("doc.qmd")) == shown
