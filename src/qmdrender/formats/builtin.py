"""Registers the formats that come with the renderer (importing a format's module registers it)."""

from qmdrender.formats import FORMATS, register
from qmdrender.formats.beamer import BEAMER
from qmdrender.formats.dashboard import DASHBOARD
from qmdrender.formats.docx import DOCX
from qmdrender.formats.html import HTML
from qmdrender.formats.ipynb import IPYNB
from qmdrender.formats.markdown_output import FORMATS_BY_NAME as MARKDOWN_FORMATS
from qmdrender.formats.pdf import PDF
from qmdrender.formats.pptx import PPTX
from qmdrender.formats.revealjs import REVEALJS
from qmdrender.formats.typst import TYPST

BUILTIN = (HTML, PDF, IPYNB, REVEALJS, BEAMER, DOCX, PPTX, TYPST, DASHBOARD, *MARKDOWN_FORMATS.values())
for _format in BUILTIN:  # listed in this order by --to all and in messages, whatever the import order
    register(FORMATS.pop(_format.name))
