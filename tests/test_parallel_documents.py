"""Several documents at once (``--jobs``): each in its own process, logs whole and in order, and one
failure neither stops nor spoils the others."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import render_cli

DOCUMENT = """---
title: "{name}"
format: html
---

```{{python}}
import json, os, time
started = time.time()
time.sleep(1.5)
{fail}
with open("runs.jsonl", "a") as log:
    log.write(json.dumps({{"name": "{name}", "pid": os.getpid(), "start": started, "end": time.time()}}) + "\\n")
```

Document {name} is done.
"""


def _documents(folder: Path, names: list[str], failing: str = "") -> list[str]:
    paths = []
    for name in names:
        fail = 'raise ValueError("asked to fail")' if name == failing else ""
        path = folder / f"{name}.qmd"
        path.write_text(DOCUMENT.format(name=name, fail=fail))
        paths.append(str(path))
    return paths


def test_documents_render_at_once_with_their_logs_whole_and_in_order(tmp_path):
    documents = _documents(tmp_path, ["alpha", "beta", "gamma"])
    code, stderr = render_cli(*documents, "--jobs", "2", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    headers = re.findall(r"^\[(\d)/3\] (\S+) \.\.\.$", stderr, flags=re.MULTILINE)
    assert headers == [("1", documents[0]), ("2", documents[1]), ("3", documents[2])]
    blocks = re.split(r"^\[\d/3\] .*$", stderr, flags=re.MULTILINE)[1:]
    for block, name in zip(blocks, ["alpha", "beta", "gamma"], strict=True):
        assert f"{name}.html" in block  # each document's own lines follow its header
    for name in ["alpha", "beta", "gamma"]:
        assert f"Document {name} is done." in (tmp_path / "out" / f"{name}.html").read_text()
    runs = {r["name"]: r for r in map(json.loads, (tmp_path / "runs.jsonl").read_text().splitlines())}
    assert len({r["pid"] for r in runs.values()}) == 3  # a kernel each
    assert runs["beta"]["start"] < runs["alpha"]["end"] and runs["alpha"]["start"] < runs["beta"]["end"]  # overlap


def test_a_failing_document_does_not_stop_or_spoil_the_others(tmp_path):
    documents = _documents(tmp_path, ["one", "two", "three"], failing="two")
    code, stderr = render_cli(*documents, "--jobs", "2", "--output-dir", str(tmp_path / "out"))
    assert code == 1
    assert "asked to fail" in stderr and f"1 of 3 documents failed: {documents[1]}" in stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["one.html", "three.html"]
