"""``python -m qmdrender``."""

import sys

from qmdrender.cli import main

sys.exit(main())
