"""How a project's configuration is read: its inputs, profiles, and a book's chapter numbers (no render)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmdrender.book_pdf import pdf_name
from qmdrender.books import book_chapters
from qmdrender.options import active_profiles, project_config
from qmdrender.projects import load_project
from qmdrender.qmd import QmdError
from qmdrender.types import RenderError


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_inputs_are_every_document_quarto_renders_in_reading_order(tmp_path):
    write(tmp_path, {"_quarto.yml": "project:\n  type: website\n", "index.qmd": "", "b.md": "", "a.ipynb": "{}",
                     "README.md": "", "_draft.qmd": "", "_site/old.qmd": "", ".hidden/x.qmd": "",
                     "notes/index.qmd": "", "notes/z.qmd": "", "notes/_skip/y.qmd": "", "data.csv": ""})
    project = load_project(tmp_path)
    assert [project.relative(p).as_posix() for p in project.inputs] == \
        ["index.qmd", "a.ipynb", "b.md", "notes/index.qmd", "notes/z.qmd"]  # each folder's index first
    assert project.output_dir == (tmp_path / "_site").resolve()


def test_render_list_globs_and_exclusions(tmp_path):
    write(tmp_path, {"_quarto.yml": "project:\n  render:\n    - index.qmd\n    - chapters/*.qmd\n"
                                    "    - '!chapters/draft*'\n  output-dir: out\n",
                     "index.qmd": "", "chapters/one.qmd": "", "chapters/draft-two.qmd": "", "other.qmd": ""})
    project = load_project(tmp_path)
    assert [project.relative(p).as_posix() for p in project.inputs] == ["index.qmd", "chapters/one.qmd"]
    assert project.output_dir == (tmp_path / "out").resolve()


def test_an_excluded_folder_leaves_out_every_document_in_it(tmp_path):
    # a course site renders "*.qmd" and weeks/, and leaves its decks and labs to other profiles
    write(tmp_path, {"_quarto.yml": "project:\n  type: website\n  render:\n    - \"*.qmd\"\n    - weeks/\n"
                                    "    - '!core/slides/'\n    - '!core/labs'\n    - '!/top.qmd'\n",
                     "index.qmd": "", "top.qmd": "", "deep/top.qmd": "", "core/slides/deck.qmd": "",
                     "core/slides/more/deck2.qmd": "", "core/labs/lab.qmd": "", "core/notes/n.qmd": "",
                     "weeks/week-1.qmd": ""})
    project = load_project(tmp_path)
    assert sorted(project.relative(p).as_posix() for p in project.inputs) == \
        ["core/notes/n.qmd", "deep/top.qmd", "index.qmd", "weeks/week-1.qmd"]


def test_a_render_glob_matches_at_any_depth_as_quartos_smart_globs_do(tmp_path):
    write(tmp_path, {"_quarto.yml": "project:\n  render:\n    - \"*.qmd\"\n  output-dir: docs\n",
                     "index.qmd": "", "slides/one.qmd": "", "slides/_outdated/old.qmd": "", ".hide/x.qmd": "",
                     "docs/stale.qmd": "", "slides/notes.md": ""})
    project = load_project(tmp_path)  # "*.qmd" is "**/*.qmd": the decks in slides/ too, not _ or . folders
    assert [project.relative(p).as_posix() for p in project.inputs] == ["index.qmd", "slides/one.qmd"]


def test_a_render_list_naming_a_missing_file_warns_and_renders_the_rest(tmp_path, capsys):
    # Quarto reads each entry as a glob: a published course site lists about/index.qmd it never had
    write(tmp_path, {"_quarto.yml": "project:\n  render: [index.qmd, gone.qmd, \"lab/*.qmd\"]\n", "index.qmd": ""})
    project = load_project(tmp_path)
    assert [project.relative(p).as_posix() for p in project.inputs] == ["index.qmd"]
    stderr = capsys.readouterr().err
    assert "gone.qmd, which matches nothing here" in stderr and "lab/*.qmd, which matches nothing" in stderr


def test_a_render_list_matching_no_document_is_an_error(tmp_path):
    write(tmp_path, {"_quarto.yml": "project:\n  render: [gone.qmd]\n"})
    with pytest.raises(RenderError, match=r"matches no document to render"):
        load_project(tmp_path)


def test_a_folder_without_quarto_yml_is_not_a_project(tmp_path):
    with pytest.raises(RenderError, match=r"no _quarto\.yml here"):
        load_project(tmp_path)


def test_profiles_merge_first_named_wins_lists_join_and_groups_default(tmp_path, monkeypatch):
    write(tmp_path, {"_quarto.yml": "title: base\nresources: [a.csv]\nprofile:\n  group: [pro, base]\n",
                     "_quarto-pro.yml": "title: pro\nresources: [b.csv]\n",
                     "_quarto-extra.yml": "title: extra\n"})
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    assert active_profiles(project_config(tmp_path)) == ["pro"]  # the group's first
    assert project_config(tmp_path)["title"] == "pro"
    monkeypatch.setenv("QUARTO_PROFILE", "extra,pro")
    config = project_config(tmp_path)
    assert config["title"] == "extra"  # the first named wins
    assert [Path(p).name for p in config["resources"]] == ["a.csv", "b.csv"]
    monkeypatch.setenv("QUARTO_PROFILE", "base")
    assert project_config(tmp_path)["title"] == "base"  # no _quarto-base.yml: skipped, as in Quarto


def test_book_chapters_number_parts_appendices_and_unnumbered_titles(tmp_path):
    write(tmp_path, {"index.qmd": "# Preface {.unnumbered}\n", "a.qmd": "---\ntitle: Alpha\n---\n",
                     "b.ipynb": '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Beta {#sec-b}"]}],'
                                ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                     "refs.qmd": "# References {-}\n", "x.qmd": "# Extra data\n",
                     # a title in the front matter decides: the first heading's {-} is a section's, as in Quarto
                     "y.qmd": "---\ntitle: Tasks\n---\n\n## Instructions {-}\n"})
    config = {"book": {"chapters": ["index.qmd", {"part": "Part one", "chapters": ["a.qmd", "b.ipynb"]},
                                    "refs.qmd"], "appendices": ["x.qmd", "y.qmd"]}}
    chapters = book_chapters(config, tmp_path)
    assert [(c.title, c.number, c.part, c.appendix) for c in chapters] == [
        ("Preface", "", "", False), ("Alpha", "1", "Part one", False), ("Beta", "2", "Part one", False),
        ("References", "", "", False), ("Extra data", "A", "", True), ("Tasks", "B", "", True)]
    unnumbered = book_chapters({**config, "format": {"html": {"number-sections": False}}}, tmp_path)
    assert [c.number for c in unnumbered] == ["", "", "", "", "", ""]
    assert [c.number for c in book_chapters({**config, "format": {"html": {"number-sections": False}}}, tmp_path,
                                            "pdf")] == ["", "1", "2", "", "A", "B"]


def test_a_chapter_file_that_starts_with_a_byte_order_mark_is_numbered_as_quarto_numbers_it(tmp_path):
    # Quarto reads a chapter's title from its text with the mark, so "# Preface {.unnumbered}" on the mark's
    # line is no title to it: the chapter is numbered and the contents list it by its page (checked against
    # Quarto 1.6's rendering of a public book whose index.qmd starts with a mark)
    (tmp_path / "index.qmd").write_bytes("\ufeff# Preface {.unnumbered}\n\nText.\n".encode())
    (tmp_path / "fm.qmd").write_bytes("\ufeff---\ntitle: Marked\n---\n\nText.\n".encode())
    write(tmp_path, {"one.qmd": "# One\n", "none.qmd": "No heading here.\n"})
    chapters = book_chapters({"book": {"chapters": ["index.qmd", "one.qmd", "fm.qmd", "none.qmd"]}}, tmp_path)
    assert [(c.title, c.number) for c in chapters] == [("index.html", "1"), ("One", "2"), ("Marked", "3"),
                                                       ("none.html", "4")]


def test_a_missing_chapter_is_an_error_and_a_repeated_one_a_warning(tmp_path, capsys):
    write(tmp_path, {"index.qmd": "# Hi\n", "two.qmd": "# Two\n"})
    with pytest.raises(QmdError, match=r"gone\.qmd: this chapter is listed"):
        book_chapters({"book": {"chapters": ["index.qmd", "gone.qmd"]}}, tmp_path)
    # as a profile's chapters joined to the project's list them: the book keeps the first
    chapters = book_chapters({"book": {"chapters": ["index.qmd", {"part": "P", "chapters": ["index.qmd", "two.qmd"]}]}},
                             tmp_path, report=True)
    assert [c.path.name for c in chapters] == ["index.qmd", "two.qmd"]
    assert "index.qmd is listed twice" in capsys.readouterr().err


def test_each_page_shows_the_sidebar_that_lists_it(tmp_path):
    from qmdrender.site import Page, site_navigation

    write(tmp_path, {"_quarto.yml": "project:\n  type: website\nwebsite:\n  sidebar:\n"
                                    "    - id: guide\n      contents: [index.qmd, guide/*]\n"
                                    "    - id: api\n      contents:\n        - section: Reference\n"
                                    "          contents: [api/a.qmd]\n",
                     "index.qmd": "---\ntitle: Home\n---\n", "guide/start.qmd": "# Getting started\n",
                     "api/a.qmd": "---\ntitle: Function a\n---\n", "about.qmd": "# About\n"})
    site = site_navigation(load_project(tmp_path))
    pages = {page.href: page for page in site.pages}
    guide = [item.text for item in site.sidebar_for(pages["guide/start.html"])]
    assert guide == ["Home", "Getting started"]
    reference = site.sidebar_for(pages["api/a.html"])
    assert [(item.text, [c.text for c in item.children]) for item in reference] == [("Reference", ["Function a"])]
    assert site.sidebar_for(pages["about.html"]) == [] and isinstance(pages["about.html"], Page)


def test_a_projects_theme_files_are_found_from_the_project_not_the_page(tmp_path):
    from qmdrender.document import read_document
    from qmdrender.options import resolve

    write(tmp_path, {"_quarto.yml": "project:\n  type: website\nformat:\n  html:\n    theme:\n"
                                    "      light: [cosmo, styles/site.scss]\n      dark: [darkly, styles/dark.scss]\n",
                     "styles/site.scss": "", "styles/dark.scss": "", "notes/page.qmd": "---\ntitle: P\n---\n"})
    theme = resolve(read_document(tmp_path / "notes" / "page.qmd")).for_format("html")["theme"]
    root = tmp_path.resolve()
    assert theme == {"light": ["cosmo", str(root / "styles" / "site.scss")],
                     "dark": ["darkly", str(root / "styles" / "dark.scss")]}


def test_lists_from_the_project_and_the_document_join_as_in_quarto(tmp_path):
    from qmdrender.document import read_document
    from qmdrender.options import resolve

    write(tmp_path, {"_quarto.yml": "project:\n  type: default\ncss: [site.css, beside.css]\n"
                                    "filters: [shared.lua, {at: post-quarto, path: filters/late.lua}]\n"
                                    "bibliography: refs.bib\n",
                     "site.css": "p { color: red; }\n",
                     "page.qmd": "---\ntitle: P\ncss: [page.css]\nfilters: [own.lua]\nbibliography: refs.bib\n"
                                 "toc-depth: 2\n---\n"})
    options = resolve(read_document(tmp_path / "page.qmd")).for_format("html")
    root = tmp_path.resolve()
    # both stylesheets apply; the project's names a file of the project, or, as Quarto reads a name that is no
    # file there, one beside the document (beside.css, as written)
    assert options["css"] == [str(root / "site.css"), "beside.css", "page.css"]
    assert options["filters"] == [str(root / "shared.lua"),  # an entry point's path, from the project too
                                  {"at": "post-quarto", "path": str(root / "filters" / "late.lua")}, "own.lua"]
    # a single bibliography on each side: Quarto makes both lists before it merges them (its
    # fixupMergeableScalars, as for css and the includes), so the one file once
    assert options["bibliography"] == ["refs.bib"]
    assert options["toc-depth"] == 2


def test_a_folders_formats_replace_the_projects_list_and_the_sites_theme_wins(tmp_path):
    from qmdrender.document import read_document
    from qmdrender.options import resolve

    write(tmp_path, {"_quarto.yml": "project:\n  type: website\nformat:\n  html:\n    theme: cosmo\n    toc: true\n",
                     "slides/_metadata.yaml": "format:\n  revealjs:\n    slide-number: true\n",
                     "slides/deck.qmd": "---\ntitle: D\n---\n",
                     "notes/page.qmd": "---\ntitle: P\nformat:\n  html:\n    theme: flatly\n  pdf: default\n---\n",
                     "index.qmd": "---\ntitle: I\n---\n"})
    deck = resolve(read_document(tmp_path / "slides" / "deck.qmd"))
    assert deck.declared_formats == ("revealjs",)  # as Quarto: a folder's formats replace the project's list
    assert deck.for_format("revealjs")["slide-number"] is True
    page = resolve(read_document(tmp_path / "notes" / "page.qmd"))
    assert page.declared_formats == ("html", "pdf")
    assert page.for_format("html")["theme"] == "cosmo"  # a website's theme is every page's
    assert page.for_format("html")["toc"] is True
    assert resolve(read_document(tmp_path / "index.qmd")).declared_formats == ("html",)


@pytest.mark.parametrize(("book", "name"), [
    ({"title": "Data Science II with python (Class notes)"}, "Data-Science-II-with-python--Class-notes-.pdf"),
    ({"title": "Notes: A/B tests, #1"}, "Notes--A-B-tests,--1.pdf"),
    ({"title": "Ignored", "output-file": "my-book"}, "my-book.pdf")])
def test_a_books_pdf_is_named_as_quarto_names_it(tmp_path, book, name):
    # Quarto turns each character of the title that TeX or a file system trips on into a "-", one for one (its
    # PDF of a public course book is "Data-Science-II-with-python--Class-notes-.pdf"); the sidebar links to it
    write(tmp_path, {"_quarto.yml": "project:\n  type: book\nbook:\n  chapters: [index.qmd]\n", "index.qmd": "# Hi\n"})
    project = load_project(tmp_path)
    project.config["book"].update(book)
    assert pdf_name(project) == name


def test_a_projects_single_stylesheet_and_a_pages_own_both_apply_as_quarto_merges_them(tmp_path):
    # a personal site: `css: styles.css` in _quarto.yml and `format: html: css: style.css` on a page (Quarto 1.7's
    # page links both: it makes css, bibliography and the includes lists before merging)
    from qmdrender.document import read_document
    from qmdrender.options import resolve

    write(tmp_path, {"_quarto.yml": "project:\n  type: website\nformat:\n  html:\n    css: styles.css\n",
                     "styles.css": "p { color: red; }\n",
                     "page.qmd": "---\ntitle: P\nformat:\n  html:\n    css: page.css\n---\n"})
    options = resolve(read_document(tmp_path / "page.qmd")).for_format("html")
    assert [Path(name).name for name in options["css"]] == ["styles.css", "page.css"]
