"""Run pandoc (the binary shipped in ``pypandoc-binary``) with the renderer's Lua filters, and xelatex.

Filters live in ``filters/``, one Lua file per feature, as Quarto splits its own. Their warnings (and
pandoc's) are passed on as renderer warnings. xelatex runs here rather than inside pandoc so that a
LaTeX failure is reported by its ``!`` lines and the source line they point to, and missing glyphs
(a font without Hebrew, say) are reported instead of silently dropped.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError, warn

TEX_INSTALL_HINT = (
    "sudo apt-get install texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-plain-generic texlive-fonts-recommended lmodern fonts-noto-cjk fonts-symbola fonts-noto-core "
    "(or run .ci/run)"
)
LATEX_TIMEOUT_S = 600
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|There were undefined references|"
                    r"Package rerunfilecheck Warning")
_MISSING_CHARACTER = re.compile(r"Missing character: There is no (.+?) \((U\+[0-9A-F]+)\)")  # TeX wraps the rest


_PUNCTUATION = re.compile(r"""[!"#$%&')*+,/:;<=>?@\[\\\]^`{|}~]""")


def auto_identifier(text: str) -> str:
    """An identifier made from ``text`` as pandoc makes a heading's (and Quarto a sidebar's id or an untitled
    page's ``pagetitle``): punctuation dropped, spaces to "-", lower case, from the first letter on."""
    return re.sub(r"^[^A-Za-z]+", "", re.sub(r"\s", "-", _PUNCTUATION.sub("", text)).lower())


def filter_path(name: str) -> Path:
    """One of the renderer's filters by name, or a document's own (an absolute path to a .lua file)."""
    if name.endswith(".lua") and Path(name).is_absolute():
        return Path(name)
    return Path(str(files("qmdrender").joinpath("filters", f"{name}.lua")))


def pandoc_binary() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(markdown: str, to: str, target: Path, arguments: Sequence[str], *, cwd: Path,
               filters: Sequence[str] = (), reader: str = "markdown", after_citeproc: Sequence[str] = (),
               silenced: re.Pattern[str] | None = None) -> None:
    """``pandoc -f READER -t TO -o TARGET`` over ``markdown``; a failure is one :class:`RenderError`.
    ``after_citeproc``: filters that work on the reference list citeproc wrote; ``silenced``: the warnings the
    caller says in its own words."""
    # Filters run in command-line order, so citeproc goes after the Lua filters (crossref removes the
    # @fig-x citations citeproc would otherwise report as missing references).
    citeproc = [a for a in arguments if a == "--citeproc"]
    command = [pandoc_binary(), f"--from={reader}", f"--to={to}", f"--output={target}",
               *(a for a in arguments if a != "--citeproc"),
               *(f"--lua-filter={filter_path(name)}" for name in filters), *citeproc,
               *(f"--lua-filter={filter_path(name)}" for name in after_citeproc)]
    done = subprocess.run(command, input=markdown, capture_output=True, text=True, cwd=cwd, encoding="utf-8")
    if done.returncode == 0:
        for message in pandoc_messages(done.stderr):
            if silenced is None or not silenced.search(message):
                warn(message)
    if done.returncode != 0:
        raise RenderError(f"pandoc could not write {target.name}: {_failure(done.stderr)}"
                          f"{_yaml_block_hint(done.stderr, markdown)}")


def _failure(stderr: str) -> str:
    """What made pandoc stop, from its ``stderr``: its own ``pandoc: ...`` line without the Haskell backtrace
    after it (the warnings before it are said as warnings), else the end of what it wrote."""
    failure = stderr.partition("HasCallStack backtrace:")[0]
    lines = failure.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("pandoc: ")), None)
    if start is None:
        return failure.strip()[-3000:]
    for message in pandoc_messages("\n".join(lines[:start])):
        warn(message)
    return " ".join(line.strip() for line in lines[start:] if line.strip()).removeprefix("pandoc: ")[-3000:]


_YAML_BLOCK_ERROR = re.compile(r"Error parsing YAML metadata at \(line (\d+), column \d+\)")


def _yaml_block_hint(stderr: str, markdown: str) -> str:
    """What to do when a rule (``---``) with text right under it was read as a YAML metadata block, as
    pandoc (and so Quarto) reads it: the line of text it swallowed, to find it in the document."""
    found = _YAML_BLOCK_ERROR.search(stderr)
    lines = markdown.splitlines()
    if not found or not 0 < int(found[1]) < len(lines) or lines[int(found[1]) - 1].strip() != "---":
        return ""
    after = lines[int(found[1])].strip()
    return (f"\nThe line '---' just before \"{after[:60]}\" starts a YAML metadata block, because text follows "
            "it directly; if it is meant as a horizontal rule (or a slide break), put a blank line after it.")


_FETCH = re.compile(r"^Could not fetch resource (\S+?):?(?:\s|$)", re.S)


def pandoc_messages(stderr: str) -> list[str]:
    """Pandoc's (and the filters') warnings, one message each: a pandoc warning's continuation lines
    are joined to it, and a resource it could not fetch (no network) is said in one line."""
    messages: list[str] = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        if line.startswith(("[WARNING]", "warning:", "[INFO]")) or not messages:
            messages.append(line.removeprefix("warning: ").removeprefix("[WARNING] ").strip())
        else:
            messages[-1] += " " + line.strip()
    tidy: list[str] = []
    for message in messages:
        fetch = _FETCH.match(message)
        if fetch and re.match(r"^[a-z][a-z0-9+.-]*:", fetch.group(1), re.I):
            message = (f"could not fetch {fetch.group(1)} (the embedded renderer works offline); the page links to "
                       "it instead of embedding it.")
        elif fetch:
            if any(f"image {fetch.group(1)} not found" in said for said in tidy):
                continue  # the resources filter said so already
            message = f"{fetch.group(1)} not found; the page links to it as written."
        elif message.rstrip(":") == "Could not fetch resource":  # pandoc names nothing: an empty address
            message = ('an image or link with an empty address (src="") has nothing to embed; it is left as '
                       "written (give it the file's name, or remove it).")
        tidy.append(message)
    return tidy


def markdown_to_html(text: str, *, paragraphs: bool = False, reader: str = "markdown") -> str:
    """A short Markdown text (a footer, a listing description) as an HTML fragment; one paragraph as its text
    alone unless ``paragraphs`` (a deck's footer keeps its ``<p>``, as in Quarto); ``reader``: pandoc's reader
    with its extensions (``markdown+emoji``)."""
    done = subprocess.run([pandoc_binary(), f"--from={reader}", "--to=html5"], input=text, capture_output=True,
                          text=True, encoding="utf-8")
    if done.returncode != 0:
        raise RenderError(f"pandoc could not read {text[:80]!r}: {done.stderr.strip()[-500:]}")
    fragment = done.stdout.strip()
    # one paragraph: its text alone, so that it sits inline in a footer or a list item
    if not paragraphs and fragment.startswith("<p>") and fragment.endswith("</p>") and fragment.count("<p>") == 1:
        fragment = fragment[3:-4]
    return fragment


@functools.lru_cache(maxsize=16)
def _highlight_theme(style: str) -> dict[str, Any]:
    done = subprocess.run([pandoc_binary(), f"--print-highlight-style={style}"], capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else {}


def highlight_colours(style: str) -> tuple[str | None, str | None]:
    """The text and background colours of one of pandoc's highlight styles (``None`` where it sets none)."""
    theme = _highlight_theme(style)
    return theme.get("text-color"), theme.get("background-color")


def theme_file_colours(path: Path) -> tuple[str | None, str | None]:
    """The text and background colours of an author's ``.theme`` file (pandoc's JSON; a KDE theme's
    ``editor-colors`` background where it has no ``background-color``), read afresh: the file may change
    between renders. ``(None, None)`` for a file that is not JSON (pandoc reports it)."""
    try:
        theme = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(theme, dict):
        return None, None
    editor = theme.get("editor-colors") if isinstance(theme.get("editor-colors"), dict) else {}
    return theme.get("text-color"), theme.get("background-color") or editor.get("BackgroundColor")


def highlight_token_colour(style: str, token: str) -> str | None:
    """The colour one of pandoc's highlight styles gives a kind of token (``Function``, ``String`` ...)."""
    return (_highlight_theme(style).get("text-styles", {}).get(token) or {}).get("text-color")


def require_xelatex() -> None:
    if shutil.which("xelatex") is None:
        raise RenderError(f"PDF output needs xelatex, which is not installed. Install TeX with: {TEX_INSTALL_HINT}; "
                          "or render HTML only with --to html.")


def xelatex(tex: Path, *, passes: int = 1, fail_on_missing_glyphs: bool = False,
            folders: Sequence[Path | None] = ()) -> Path:
    """Compile ``tex`` to PDF beside it: ``passes`` runs, more while LaTeX asks for a rerun (at most 4).
    ``folders`` (the document's, the project's) are searched for the files it loads, as when Quarto runs
    LaTeX beside the document: a local ``.sty``, a Beamer theme, a template's logo."""
    require_xelatex()
    command = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name]
    log_path = tex.with_suffix(".log")
    searched = [str(folder) for folder in folders if folder is not None]
    environment = None
    if searched:  # the trailing separator keeps TeX's own search path after them
        environment = {**os.environ, **{name: os.pathsep.join([".", *searched, os.environ.get(name, "")])
                                        for name in ("TEXINPUTS", "BIBINPUTS", "BSTINPUTS")}}  # bibtex's too
        _link_beside(tex.parent, Path(searched[0]), tex.stem)
    for run in range(1, 5):
        try:
            done = subprocess.run(command, cwd=tex.parent, capture_output=True, timeout=LATEX_TIMEOUT_S,
                                  env=environment)
        except subprocess.TimeoutExpired:
            raise RenderError(f"xelatex ran longer than {LATEX_TIMEOUT_S} s on {tex.name}.") from None
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else done.stdout.decode(
            "utf-8", errors="replace")
        if done.returncode != 0 or not tex.with_suffix(".pdf").exists():
            missing = _MISSING_PACKAGE.search(log)
            hint = (f"\nThe LaTeX package file {missing[1]} is not installed in this TeX (Quarto's TinyTeX would "
                    f"fetch it): install the TeX Live package that has it (`tlmgr search --file {missing[1]}`; on "
                    "Debian a texlive-* package), or remove what loads it." if missing else "")
            raise RenderError(f"xelatex could not make the PDF:\n{latex_errors(log, tex)}{hint}")
        if run == 1 and _bibliography_pass(tex, environment):  # natbib or biblatex: then two more runs
            passes = max(passes, 3)
        if run >= passes and not _RERUN.search(log):
            break
    report_missing_characters(log, fatal=fail_on_missing_glyphs)
    return tex.with_suffix(".pdf")


def _bibliography_pass(tex: Path, environment: Mapping[str, str] | None) -> bool:
    """After a first run with ``cite-method: natbib`` (the .aux names a ``\\bibdata``) or ``biblatex``
    (xelatex wrote a .bcf), the bibliography program builds the reference list, as latexmk would; whether
    it ran. A missing program or a failing one is a :class:`RenderError` saying what to do."""
    aux, control = tex.with_suffix(".aux"), tex.with_suffix(".bcf")
    if control.exists():
        program = "biber"
    elif aux.exists() and "\\bibdata{" in aux.read_text(encoding="utf-8", errors="replace"):
        program = "bibtex"
    else:
        return False
    if shutil.which(program) is None:
        raise RenderError(f"cite-method needs {program}, which is not installed (Debian: apt-get install "
                          f"{'biber' if program == 'biber' else 'texlive-binaries'}), or use cite-method: citeproc.")
    done = subprocess.run([program, tex.stem], cwd=tex.parent, capture_output=True, timeout=LATEX_TIMEOUT_S,
                          env=environment)
    if done.returncode != 0:
        said = (done.stdout + done.stderr).decode("utf-8", errors="replace").strip()
        raise RenderError(f"{program} could not build the bibliography of {tex.name}:\n{said[-2000:]}")
    return True


# TeX sources a document may \input with a ./ path, copied beside the job's .tex (small, and a copy TeX may
# overwrite without touching the author's file)
_TEX_SOURCES = (".tex", ".sty", ".cls", ".def", ".cfg", ".clo", ".bst", ".ldf")


def _link_beside(work: Path, folder: Path, stem: str) -> None:
    """Folders beside the document linked into the work folder, and its TeX sources copied there, so that a
    path written from the document's folder (``\\input{./style/defs.sty}``, which TeX looks up from where it
    runs, not along TEXINPUTS) finds its file as under Quarto, which runs LaTeX there. Nothing named like
    the job's own files (``stem.*``, which xelatex writes) and nothing the work folder has is touched: a
    link to a file would let xelatex overwrite the author's own."""
    for entry in folder.iterdir():
        target = work / entry.name
        if entry.name.startswith((".", stem)) or target.exists() or target.is_symlink():
            continue
        try:
            if entry.is_dir():
                target.symlink_to(entry, target_is_directory=True)
            elif entry.suffix in _TEX_SOURCES:
                shutil.copyfile(entry, target)
        except OSError:  # a file system without links: TEXINPUTS still finds most files
            continue


# "! LaTeX Error: File `physics.sty' not found."
_MISSING_PACKAGE = re.compile(r"! LaTeX Error: File `([^']+\.(?:sty|cls|def|tex))' not found")


def latex_errors(log: str, tex: Path) -> str:
    """The ``!`` error lines of a LaTeX log, each with the ``l.N`` context and that line of the source."""
    lines = log.splitlines()
    source = tex.read_text(encoding="utf-8", errors="replace").splitlines() if tex.exists() else []
    messages = []
    for index, line in enumerate(lines):
        if not line.startswith("!"):
            continue
        block = [line]
        for follow in lines[index + 1:index + 12]:
            block.append(follow)
            number = re.match(r"l\.(\d+)", follow)
            if number:
                row = int(number[1])
                if 0 < row <= len(source):
                    block.append(f"  source line {row}: {source[row - 1].strip()[:300]}")
                break
        messages.append("\n".join(block))
        if len(messages) == 3:
            break
    return "\n".join(messages) if messages else "\n".join(lines[-40:])


def report_missing_characters(log: str, *, fatal: bool = False) -> None:
    """xelatex drops characters its fonts lack and only logs it; say which, so the loss is visible.

    A warning by default: one missing emoji should not cost a whole report, but it must not pass
    unseen either. ``fatal`` (``--fail-on-missing-glyphs``) makes it an error, for CI.
    """
    missing = sorted({f"{char} ({code})" for char, code in _MISSING_CHARACTER.findall(log)})
    if not missing:
        return
    message = (f"the PDF is missing characters its fonts lack: {', '.join(missing[:20])}"
               f"{' ...' if len(missing) > 20 else ''} (install a font that has them, e.g. fonts-noto-core)")
    if fatal:
        raise RenderError(message)
    warn(message)
