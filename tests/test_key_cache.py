"""The disk memos behind the execution key: a second process gets the same key from them, and they
miss when what they remember changes (a source's text, what is installed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from qmdrender import key_cache
from qmdrender.key_cache import DiskMemo

KEY = """
import sys
from pathlib import Path
from qmdrender.document import read_qmd
from qmdrender.keys import execution_key
notebook = read_qmd(Path(sys.argv[1])).notebook
print(execution_key(notebook, {}, "python3", "", Path(sys.argv[1]).parent))
"""


def _key(document: Path) -> str:
    done = subprocess.run([sys.executable, "-c", KEY, str(document)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_second_process_gets_the_same_key_and_an_edited_module_changes_it(tmp_path):
    (tmp_path / "mylib.py").write_text("import json\n")
    document = tmp_path / "doc.qmd"
    document.write_text("---\ntitle: K\n---\n\n```{python}\nimport mylib, numpy\n```\n")
    first = _key(document)
    assert _key(document) == first  # now from the memos
    (tmp_path / "mylib.py").write_text("import json\nimport yaml\n")  # new text: parsed again
    assert _key(document) != first
    parsed = json.loads((key_cache.FOLDER / "imports.json").read_text())["entries"]
    assert ["json", "yaml"] in parsed.values()


def test_a_memo_of_another_scope_starts_empty(tmp_path, monkeypatch):
    monkeypatch.setattr(key_cache, "FOLDER", tmp_path)
    memo = DiskMemo("installed", {"state": [1, 2]})
    memo.put("version numpy", "2.0")
    memo.save()
    assert DiskMemo("installed", {"state": [1, 2]}).get("version numpy") == "2.0"
    assert DiskMemo("installed", {"state": [1, 3]}).get("version numpy") is None  # something was installed
