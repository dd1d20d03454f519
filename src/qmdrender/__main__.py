"""``python -m qmdrender``."""

import sys

# jsonschema (through nbformat) imports rfc3987_syntax, when installed, only to check the "iri" string
# formats, which notebook schemas do not use; building its grammar costs seconds at every start of the
# renderer. Marked missing here, in the renderer's own process only, jsonschema skips those two formats.
sys.modules.setdefault("rfc3987_syntax", None)

from qmdrender.cli import main  # noqa: E402 (after the line above, which must come first)

sys.exit(main())
