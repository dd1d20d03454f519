"""A listing's order as Quarto writes it into the page: its ``sort`` rules, applied as lodash's ``orderBy``
applies them (no render: the listings module alone)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from qmdrender.listings import _sorted


def _page(title: str, date: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(title=title, front={"date": date} if date else {}, source=Path(f"{title}.qmd"))


def test_pages_without_a_date_come_first_newest_first_and_last_oldest_first():
    # a signals course's tutorials (Quarto 1.9, sort: [date desc, title desc]): the three undated ones above
    # the dated, as lodash orders them; ascending puts them last
    pages = [_page("Taylor", "Febrero 6, 2023"), _page("Git accounts"), _page("Kitty", "2025-01-10"),
             _page("Neovim"), _page("uv setup")]
    newest = [p.title for p in _sorted(pages, ["date desc", "title desc"])]
    assert newest == ["uv setup", "Neovim", "Git accounts", "Kitty", "Taylor"]
    oldest = [p.title for p in _sorted(pages, "date asc")]
    assert oldest == ["Taylor", "Kitty", "Git accounts", "Neovim", "uv setup"]
