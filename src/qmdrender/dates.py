"""Document dates as Quarto shows them: ``date:`` read in Quarto's forms, written per ``date-format``.

Quarto reads ``today``, ``now`` and ``last-modified``, and a date written as ``yyyy-MM-dd``,
``MM/dd/yyyy``, ``MM-dd-yyyy``, ``MM/dd/yy``, ``dd MM yyyy``, ``MMMM d, yyyy`` or an ISO date-time
(https://quarto.org/docs/reference/dates.html). ``date-format`` is a style (``full``, ``long``,
``medium``, ``short``, ``iso``) or a pattern of day.js tokens (``MMMM D, YYYY``; text in ``[...]``
stays as written). HTML pages show ``long`` when no format is named; every other format (reveal.js
slides, PDF, Typst, Word) shows ``iso``, as Quarto does: a deck dated "September 15, 2025" shows
2025-09-15 on its title slide (Quarto 1.7's own output of public decks). A value that is not a date is
shown as written; one that starts with an ISO date and goes on with words shows the date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import babel
import babel.dates

from qmdrender.qmd import QmdError

STYLES = {"full": "dddd, MMMM D, YYYY", "long": "MMMM D, YYYY", "medium": "MMM D, YYYY", "short": "M/D/YY",
          "iso": "YYYY-MM-DD"}
# Quarto's own forms, then what its date guessing and JavaScript's Date read (month names, "Dec 24 2022"; dots
# as slashes, month first: "11.4.2023" is November 4, as a blog's Quarto listing dates it)
_READ_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y", "%d %m %Y", "%B %d, %Y",
                 "%b %d, %Y", "%d %B %Y", "%B %d %Y", "%b %d %Y", "%d %b %Y", "%A, %B %d, %Y", "%a, %b %d, %Y",
                 "%m.%d.%Y", "%Y.%m.%d")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# day.js's tokens, with the advancedFormat plugin's that Quarto loads (Do, Q, k, X, x, w, W, wo, Wo)
_TOKEN = re.compile(r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|dd|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|ZZ|Z|"
                    r"A|a|Q|X|x|wo|ww|w|Wo|WW|W")


def resolve_date(value: Any, source: Path) -> dt.date | dt.datetime | Any:
    """``value`` as a date (or date-time) when it is one Quarto reads; otherwise ``value`` itself."""
    if value == "today":
        return dt.date.today()
    if value == "now":
        return dt.datetime.now().replace(second=0, microsecond=0)
    if value == "last-modified":
        return dt.datetime.fromtimestamp(source.stat().st_mtime).replace(microsecond=0)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:  # YAML reads a real date as a date; this one looked like a date and is not one
            return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise QmdError(f"{source}: date: {value!r} is not a date (write it as YYYY-MM-DD, e.g. 2024-12-05).") \
                from None
    for pattern in _READ_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    # a day written first with slashes ("15/03/2025") is still read month first, and the month past December
    # runs on into the next year, as JavaScript's Date counts (Quarto shows it as March 3, 2026 in its title and
    # listings); with dots or dashes ("15.03.2025") it stays as written
    numbers = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if numbers and int(numbers[1]) >= 1 and int(numbers[2]) >= 1:
        month, day, year = int(numbers[1]), int(numbers[2]), int(numbers[3])
        return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1) + dt.timedelta(days=day - 1)
    # a month named in another language whose first three letters are an English month's ("Febrero 6, 2023",
    # "Septiembre 2, 2024"): JavaScript's Date, which Quarto's date reading falls back to, matches a month by
    # those three letters (so "Agosto" is no month to it, and stays as written here)
    named = re.fullmatch(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if named and named[1][:3].lower() in _MONTH_PREFIXES:
        try:
            return dt.date(int(named[3]), _MONTH_PREFIXES.index(named[1][:3].lower()) + 1, int(named[2]))
        except ValueError:
            return value
    # a year and month alone ("2025-10"): JavaScript's Date reads the month's first day, as a Quarto 1.4 note's
    # title block and its site's listing show it ("October 1, 2025")
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if month and 1 <= int(month[2]) <= 12:
        return dt.date(int(month[1]), int(month[2]), 1)
    # an ISO date followed by words ("2025-01-17 (updated: ...)"): Quarto's day.js reads the date and
    # leaves the rest, as a course's deck shows it
    leading = re.match(r"(\d{4}-\d{2}-\d{2})\s", text)
    if leading:
        try:
            return dt.date.fromisoformat(leading[1])
        except ValueError:
            return value
    return value


def format_date(value: Any, date_format: Any, source: Path, lang: Any = None) -> Any:
    """The date as the reader sees it: ``date_format`` a style or a token pattern; ``None`` is ``iso``
    (2024-12-05, a date-time's day included). In a language other than English (``lang``), the styles are
    that language's (CLDR's, through Babel: ``long`` in German is "5. Dezember 2024") and month and day
    names are its own."""
    resolved = resolve_date(value, source)
    if not isinstance(resolved, dt.date):
        return value
    if date_format is None:  # Quarto's default style everywhere but an HTML page's title block: iso
        date_format = "iso"
    locale = _locale(lang)
    if locale is not None and str(date_format) in ("full", "long", "medium", "short"):
        return babel.dates.format_date(resolved, str(date_format), locale=locale)
    pattern = STYLES.get(str(date_format), str(date_format))
    return _TOKEN.sub(lambda match: _token(match.group(0), resolved, locale), pattern)


def _locale(lang: Any) -> babel.Locale | None:
    """The Babel locale of a ``lang`` other than English, or ``None`` (English, or a tag Babel lacks)."""
    tag = str(lang or "en").replace("-", "_")
    if tag.lower().split("_")[0] == "en":
        return None
    try:
        return babel.Locale.parse(tag)
    except (ValueError, babel.UnknownLocaleError):
        return None


def _token(token: str, when: dt.date, locale: babel.Locale | None = None) -> str:
    if token.startswith("["):
        return token[1:-1]
    if locale is not None and token in ("MMMM", "MMM", "dddd", "ddd"):
        width = "wide" if len(token) == 4 else "abbreviated"
        names = babel.dates.get_month_names(width, locale=locale) if token.startswith("M") \
            else babel.dates.get_day_names(width, locale=locale)
        return names[when.month] if token.startswith("M") else names[when.weekday()]
    clock = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
    values = {
        "YYYY": f"{when.year:04d}", "YY": f"{when.year % 100:02d}", "MMMM": when.strftime("%B"),
        "MMM": when.strftime("%b"), "MM": f"{when.month:02d}", "M": str(when.month), "DD": f"{when.day:02d}",
        "D": str(when.day), "dddd": when.strftime("%A"), "ddd": when.strftime("%a"), "HH": f"{clock.hour:02d}",
        "H": str(clock.hour), "hh": f"{(clock.hour - 1) % 12 + 1:02d}", "h": str((clock.hour - 1) % 12 + 1),
        "mm": f"{clock.minute:02d}", "ss": f"{clock.second:02d}", "A": "AM" if clock.hour < 12 else "PM",
        "a": "am" if clock.hour < 12 else "pm",
    }
    values.update(_more_tokens(when, clock))
    return values[token]


def _ordinal(number: int) -> str:
    """day.js's English ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffixes = ["th", "st", "nd", "rd"]
    tens = number % 100
    index = int(math.fmod(tens - 20, 10))  # JavaScript's %: the sign of the dividend (11 is "11th")
    return f"{number}{suffixes[index] if 0 < index < 4 else suffixes[tens] if tens < 4 else suffixes[0]}"


def _more_tokens(when: dt.date, clock: dt.datetime) -> dict[str, str]:
    """The rest of day.js's tokens: the ordinal day, the weekday's number and short name, unpadded minutes and
    seconds, milliseconds, the zone's offset, the quarter, 1-24 hours, the Unix time, the week of the year
    (weeks from Sunday, day.js's English) and the ISO week."""
    offset = clock.utcoffset() if clock.tzinfo else dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    stamp = (clock if clock.tzinfo else clock.replace(tzinfo=dt.UTC)).timestamp()
    january_first = dt.date(when.year, 1, 1)
    week = ((when.toordinal() - january_first.toordinal()) + (january_first.isoweekday() % 7)) // 7 + 1
    if (when + dt.timedelta(days=6 - when.isoweekday() % 7)).year > when.year:
        week = 1  # the week that holds the next 1 January is that year's first
    iso_week = when.isocalendar()[1]
    return {
        "Do": _ordinal(when.day), "d": str(when.isoweekday() % 7), "dd": when.strftime("%a")[:2],
        "m": str(clock.minute), "s": str(clock.second), "SSS": f"{clock.microsecond // 1000:03d}",
        "Z": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}", "ZZ": f"{sign}{minutes // 60:02d}{minutes % 60:02d}",
        "Q": str((when.month - 1) // 3 + 1), "k": str(clock.hour or 24), "kk": f"{clock.hour or 24:02d}",
        "X": str(int(stamp)), "x": str(int(stamp * 1000)),
        "w": str(week), "ww": f"{week:02d}", "wo": _ordinal(week),
        "W": str(iso_week), "WW": f"{iso_week:02d}", "Wo": _ordinal(iso_week),
    }
