"""``python -m qmdrender preview DOC-or-PROJECT``: serve the output, re-render on save, reload the page.

The output folder is served on 127.0.0.1 (nothing opens unless ``--browser``). Every HTML page it
serves gets a small script that listens to ``/__preview__/events`` (server-sent events): after a
render it reloads the page, keeping the reader's scroll position and, in a reveal.js deck, the
current slide; after a failed render it shows the error over the last good page, which stays; the
next good render takes the overlay away.

What is watched: the documents' folders (or the project's), and the Python files of the local and
editable modules the documents import (``src/helpers/`` for this template's notebooks). A change to
a document re-renders that document; any other change (an include, ``_quarto.yml``, a stylesheet, a
module) re-renders them all. Renders reuse warm kernels (:mod:`qmdrender.warm`); a change to
Python source restarts them, since no reset can undo an imported module's old code. While nothing
changes, a warm kernel runs ahead to a checkpoint of the document's unchanged first cells, so that
the next code edit runs only the cells from the edited one on (:mod:`qmdrender.checkpoints`); a
change to any other watched file drops the checkpoint. Renders run
one at a time; changes that arrive during a render are gathered into the next one.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import sys
import threading
import time
import webbrowser
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from qmdrender import checkpoints
from qmdrender.document import read_qmd
from qmdrender.environment import project_file, rendering_project
from qmdrender.execute import prepare_checkpoint
from qmdrender.formats import FORMATS
from qmdrender.keys import imported_source_files
from qmdrender.options import resolve
from qmdrender.parameters import ParameterError
from qmdrender.pipeline import chosen_formats, render
from qmdrender.qmd import QmdError
from qmdrender.types import RenderError, describe_error
from qmdrender.warm import WarmKernels, kept_warm

EVENTS = "/__preview__/events"
WATCHED_SUFFIXES = {".qmd", ".md", ".py", ".yml", ".yaml", ".css", ".scss", ".bib", ".csl", ".tex", ".lua"}
IGNORED_FOLDERS = {"_freeze", "__pycache__", ".ipynb_checkpoints", ".git", ".venv", "node_modules", ".cache", ".quarto"}
SCRIPT = """<script>/* qmdrender preview: reload after a render, show a failed render's error */
(function () {
  var key = "qmdrender-preview:" + location.pathname;
  var saved = JSON.parse(sessionStorage.getItem(key) || "null");
  function restore() {
    if (!saved) return;
    if (window.Reveal && Reveal.slide && saved.slide) { Reveal.slide(saved.slide.h, saved.slide.v, saved.slide.f); }
    else { window.scrollTo(0, saved.y); }
  }
  window.addEventListener("load", function () {
    if (window.Reveal && Reveal.isReady && !Reveal.isReady()) { Reveal.on("ready", restore); } else { restore(); }
  });
  function overlay(message) {
    var box = document.getElementById("qmdrender-preview-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "qmdrender-preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:2%;right:2%;top:2%;max-height:80%;overflow:auto;z-index:2147483647;" +
        "background:#fff5f5;color:#600;border:3px solid #c00;border-radius:6px;padding:1em;" +
        "font:14px/1.4 monospace;white-space:pre-wrap;box-shadow:0 4px 16px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "Render failed; this is the last good page.\\n\\n" + message;
  }
  var events = new EventSource("__EVENTS__");
  var version = __VERSION__;  /* the render this page came from, written in when it was served */
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.error) { overlay(state.error); return; }
    if (state.version !== version) {
      var slide = window.Reveal && Reveal.getIndices ? Reveal.getIndices() : null;
      sessionStorage.setItem(key, JSON.stringify({y: window.scrollY, slide: slide}));
      events.close();
      location.reload();
      return;
    }
    var box = document.getElementById("qmdrender-preview-error");
    if (box) box.remove();
  };
})();
</script>""".replace("__EVENTS__", EVENTS)


class PreviewState:
    """The last render's outcome, for the pages listening: a version number, or an error message."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.changed = threading.Condition()

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.version += 0 if error else 1
            self.error = error
            self.changed.notify_all()

    def message(self) -> str:
        return json.dumps({"version": self.version, "error": self.error})


def documents_of(target: Path) -> tuple[list[Path], Path]:
    """The documents a preview renders and the folder it watches: one file, or a project's render list."""
    if target.is_file():
        return [target.resolve()], target.resolve().parent
    if not target.is_dir():
        raise RenderError(f"{target}: no such document or project folder.")
    root = target.resolve()
    if project_file(root) is not None:  # its inputs, as a render of it has them (profiles merged, a book's chapters)
        from qmdrender.projects import load_project

        documents = sorted(p for p in load_project(root).inputs if p.suffix == ".qmd")
    else:
        documents = sorted({p.resolve() for p in root.glob("**/*.qmd") if not _ignored(p.relative_to(root))})
    if not documents:
        raise RenderError(f"{target}: no .qmd documents to preview (project: render: lists none that exist).")
    return documents, root


def _ignored(relative: Path) -> bool:
    return any(part in IGNORED_FOLDERS or part.startswith(("_", ".")) for part in relative.parts[:-1])


def preview_format(document: Path) -> str:
    """The format a preview shows: the document's first HTML format (html or revealjs), else html."""
    try:
        declared = resolve(read_qmd(document)).declared_formats
    except Exception:  # a document that does not read yet is rendered (and fails) as html
        return "html"
    html = [f for f in chosen_formats(declared, document) if FORMATS[f].target == "html"]
    return html[0] if html else "html"


def _handler(output_dir: Path, state: PreviewState, first_page: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(output_dir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows renders, not requests

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                return self._events()
            if path == "/":
                self.send_response(302)
                self.send_header("Location", "/" + first_page)
                self.end_headers()
                return None
            if path.endswith(".html"):
                return self._page(path)
            return super().do_GET()

        def _page(self, path: str) -> None:
            file = Path(self.translate_path(path))
            if not file.is_file():
                self.send_error(404, "not rendered (yet)")
                return
            html = file.read_text(encoding="utf-8", errors="replace")
            at = html.lower().rfind("</body>")
            script = SCRIPT.replace("__VERSION__", str(state.version))
            html = html[:at] + script + html[at:] if at >= 0 else html + script
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                with state.changed:
                    while True:
                        self.wfile.write(f"data: {state.message()}\n\n".encode())
                        self.wfile.flush()
                        seen = (state.version, state.error)
                        while (state.version, state.error) == seen:
                            if not state.changed.wait(timeout=15):
                                self.wfile.write(b": keep-alive\n\n")
                                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def serve(output_dir: Path, port: int, state: PreviewState, first_page: str) -> http.server.ThreadingHTTPServer:
    """The preview server, listening (not yet serving); a port in use is one clear error."""
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(output_dir, state, first_page))
    except OSError as error:
        raise RenderError(f"port {port} on 127.0.0.1 cannot be used ({error.strerror}); pick another with "
                          "--port N (0 picks a free one).") from None
    server.daemon_threads = True
    return server


def preview(target: Path, *, port: int = 4848, output_dir: Path = Path("_output"), open_browser: bool = False,
            ready: threading.Event | None = None, stop: threading.Event | None = None,
            idle: threading.Event | None = None) -> int:
    """Render ``target`` (a document or a project folder), serve it, and re-render on every save until
    interrupted (or ``stop`` is set). ``ready`` is set once the first render is done and the server listens;
    ``idle`` whenever nothing is left to do (no render, no checkpoint to prepare) until the next change."""
    documents, root = documents_of(target)
    output_dir = output_dir.expanduser().resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    state = PreviewState()
    server = serve(output_dir, port, state, f"{documents[0].stem}.html")
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    kernels = WarmKernels()
    stop = stop or threading.Event()
    # a project's documents take its configuration, in its folders with a _quarto.yml of their own too
    is_project = target.is_dir() and project_file(root) is not None
    try:
        with kept_warm(kernels), rendering_project(root) if is_project else contextlib.nullcontext():
            _render_all(documents, output_dir, state)
            threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
            print(f"preview: {address} (Ctrl-C stops it); watching {root}", file=sys.stderr, flush=True)
            if open_browser:
                webbrowser.open(address)
            stamps = _stamps(documents)
            for changed, touched in _changes(documents, root, output_dir, stop):
                if ready is not None:
                    ready.set()  # only now: the watcher is watching, so no save after this is missed
                if touched and idle is not None:
                    idle.clear()
                if touched - set(documents):  # a cell may read any file: no checkpoint survives its change
                    for warm in kernels.kernels():
                        checkpoints.drop(warm)
                if not changed:
                    if not touched and _prepare_checkpoints(kernels, documents, stamps) and idle is not None:
                        idle.set()
                    continue
                if any(p.suffix == ".py" for p in changed):
                    print("preview: Python source changed; restarting the kernels", file=sys.stderr, flush=True)
                    kernels.shutdown()
                targets = [d for d in documents if d in changed]
                if not targets or any(p not in documents for p in changed):
                    targets = documents  # an include, a stylesheet, _quarto.yml or a module: everything
                stamps = _stamps(documents)
                _render_all(targets, output_dir, state)
    except KeyboardInterrupt:
        print("preview: stopped.", file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()
        kernels.shutdown()
    return 0


def _stamps(documents: Sequence[Path]) -> list[int]:
    return [d.stat().st_mtime_ns if d.is_file() else -1 for d in documents]


def _prepare_checkpoints(kernels: WarmKernels, documents: Sequence[Path], stamps: list[int]) -> bool:
    """While no document changes: let each warm kernel run ahead to its checkpoint (see
    :mod:`qmdrender.checkpoints`). True when every checkpoint is ready. A kernel whose run ahead failed is
    stopped (it may have died); the next render starts a new one."""
    for warm in kernels.kernels():
        pending = warm.checkpoint is not None and warm.checkpoint.pending
        if pending and not prepare_checkpoint(warm, lambda: _stamps(documents) != stamps):
            kernels.discard(warm)
    return not any(w.checkpoint is not None and w.checkpoint.pending for w in kernels.kernels())


def _render_all(documents: Sequence[Path], output_dir: Path, state: PreviewState) -> None:
    errors = []
    for document in documents:
        started = time.perf_counter()
        if not document.is_file():
            errors.append(f"{document}: the document was deleted (or renamed); waiting for it to come back.")
            print(f"preview: {errors[-1]}", file=sys.stderr, flush=True)
            continue
        try:
            render(document, to=[preview_format(document)], output_dir=output_dir, engine="embedded")
        except (Exception, SystemExit) as error:  # any failure is shown; the preview goes on
            errors.append(describe_error(error) if isinstance(error, OSError | RenderError | QmdError | ParameterError)
                          else f"{document}: {type(error).__name__}: {error}")
            print(f"preview: error: {errors[-1]}", file=sys.stderr, flush=True)
            continue
        print(f"preview: rendered {document.name} ({time.perf_counter() - started:.1f} s)", file=sys.stderr,
              flush=True)
    state.publish("\n\n".join(errors) if errors else None)


def _changes(documents: Sequence[Path], root: Path, output_dir: Path,
             stop: threading.Event) -> Iterator[tuple[set[Path], set[Path]]]:
    """The changed files that call for a render (see the module docstring), and every changed file, as they
    come, until ``stop``; two empty sets after each quiet second."""
    import watchfiles

    sources: set[Path] = set()
    for document in documents:
        with contextlib.suppress(Exception):  # a document that does not read yet has no imports to watch
            sources |= {p.resolve() for p in imported_source_files(read_qmd(document).notebook, document.parent)}
    folders = {root, *(p.parent for p in sources)}
    roots = sorted(f for f in folders if not any(f != o and o in f.parents for o in folders))

    def watched(change: Any, path: str) -> bool:
        file = Path(path)
        return not (file.name.startswith(".") or output_dir in file.parents
                    or any(part in IGNORED_FOLDERS for part in file.parts))

    def relevant(file: Path) -> bool:
        if file.suffix not in WATCHED_SUFFIXES:
            return False
        return file.suffix != ".py" or file in sources or root in file.parents

    # yield_on_timeout: an empty set each second once watching has begun (the caller's "ready" signal)
    for batch in watchfiles.watch(*roots, watch_filter=watched, stop_event=stop, debounce=300, step=50,
                                  raise_interrupt=True, yield_on_timeout=True, rust_timeout=1000):
        touched = {Path(path).resolve() for _, path in batch}
        yield {file for file in touched if relevant(file)}, touched
