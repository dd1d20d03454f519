"""``python -m qmdrender``."""

import sys

# jsonschema (through nbformat) imports rfc3987_syntax, when installed, only to check the "iri" string
# formats, which notebook schemas do not use; building its grammar costs seconds at every start of the
# renderer. Marked missing here, in the renderer's own process only, jsonschema skips those two formats.
sys.modules.setdefault("rfc3987_syntax", None)

from qmdrender import kernel_start  # noqa: E402 (light: jupyter_client only)

kernel_start.launch_early(sys.argv[1:])  # the kernel starts while the renderer's modules are imported

from qmdrender.cli import main  # noqa: E402 (after the lines above, which must come first)

try:
    sys.exit(main())
finally:
    kernel_start.discard()  # one started early that the command did not use
