"""``python -m helpers.render ARGS`` runs ``python -m qmdrender ARGS`` (see the package docstring)."""

import os
import sys

os.execv(sys.executable, [sys.executable, "-m", "qmdrender", *sys.argv[1:]])
