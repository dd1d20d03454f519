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
    # dots as JavaScript's Date reads them, month first: a blog's "11.4.2023" is Nov 4, 2023 in its Quarto listing
    ("11.4.2023", "medium", "Nov 4, 2023"),
    # a day written first is still read month first, and a month past December runs on into the next year, as
    # JavaScript's Date counts: DevStart's "16/03/2025" is "April 3, 2026" on its Quarto page; a day past the
    # month's end runs into the next month
    ("15/03/2025", "long", "March 3, 2026"), ("16/03/2025", "long", "April 3, 2026"),
    ("23/03/2025", "medium", "Nov 3, 2026"), ("5/03/2025", "long", "May 3, 2025"),
    ("02/30/2024", "long", "March 1, 2024"), ("15.03.2025", "long", "15.03.2025"),
    # a year and month: the month's first day, as a Quarto 1.4 site's note dated "2025-10" shows it
    ("2025-10", "long", "October 1, 2025"), ("2025-13", "long", "2025-13"),
    # a month in another language, read by its first three letters as JavaScript's Date reads it: a Spanish
    # course's "Febrero 6, 2023" is a date to Quarto; "Agosto" is not a month to it
    ("Febrero 6, 2023", "long", "February 6, 2023"), ("Agosto 27, 2025", "long", "Agosto 27, 2025"),
])
def test_a_date_is_read_as_quarto_reads_it_and_written_per_its_format(value, date_format, shown):
    assert format_date(value, date_format, Path("doc.qmd")) == shown


@pytest.mark.parametrize(("value", "date_format", "shown"), [
    # the coeos deck theme's format: day.js's advancedFormat ordinal, which Quarto loads ("6o" before)
    ("2026-12-06", "dddd[, the] Do [of] MMMM, YYYY", "Sunday, the 6th of December, 2026"),
    ("2026-12-01", "Do", "1st"), ("2026-12-02", "Do", "2nd"), ("2026-12-03", "Do", "3rd"),
    ("2026-12-11", "Do", "11th"), ("2026-12-12", "Do", "12th"), ("2026-12-22", "Do", "22nd"),
    # quarter, weekday number (Sunday 0) and short name, ISO week (Monday 30 November 2026 starts week 49)
    ("2026-12-06", "Q d dd W", "4 0 Su 49"),
    # day.js's week of the year starts on Sunday; the week holding 1 January is the first
    ("2026-01-04", "w", "2"), ("2025-12-28", "w", "1"),
])
def test_day_js_advanced_tokens_are_written_as_quartos_day_js_writes_them(value, date_format, shown):
    assert format_date(value, date_format, Path("doc.qmd")) == shown
