"""``comments:`` puts the commenting service's own embed on an HTML page, as Quarto does (Hypothesis,
Utterances, Giscus); ``comments: false`` or an incomplete Giscus setting gives none, the latter with a
warning that says what to add."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .conftest import render_cli


def _render(tmp_path, front: str) -> tuple[BeautifulSoup, str]:
    (tmp_path / "page.qmd").write_text(f"---\ntitle: T\n{front}---\n\nSome text.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    return BeautifulSoup((tmp_path / "page.html").read_text(encoding="utf-8"), "html.parser"), stderr


def test_utterances_and_hypothesis_embeds_are_on_the_page(tmp_path):
    soup, stderr = _render(tmp_path, "comments:\n  hypothesis:\n    theme: clean\n  utterances:\n"
                                     "    repo: owner/notes\n")
    thread = soup.select_one("#quarto-comments script")
    assert thread["src"] == "https://utteranc.es/client.js" and thread["repo"] == "owner/notes"
    assert thread["issue-term"] == "pathname"
    assert soup.select_one('script[src="https://hypothes.is/embed.js"]') is not None
    assert '"theme": "clean"' in soup.select_one("script.js-hypothesis-config").string
    assert "not supported" not in stderr


def test_giscus_takes_its_ids_and_without_them_says_what_to_add(tmp_path):
    soup, _ = _render(tmp_path, "comments:\n  giscus:\n    repo: owner/notes\n    repo-id: R_1\n"
                                "    category-id: C_2\n    language: de\n")
    script = soup.select_one("#quarto-comments script")
    assert script["src"] == "https://giscus.app/client.js"
    assert (script["data-repo"], script["data-repo-id"], script["data-category-id"], script["data-lang"]) == \
        ("owner/notes", "R_1", "C_2", "de")
    soup, stderr = _render(tmp_path, "comments:\n  giscus:\n    repo: owner/notes\n")
    assert soup.select_one("#quarto-comments") is None
    assert "giscus needs repo, repo-id and category-id" in stderr


def test_comments_false_gives_none(tmp_path):
    soup, stderr = _render(tmp_path, "comments: false\n")
    assert soup.select_one("#quarto-comments") is None and "warning" not in stderr
