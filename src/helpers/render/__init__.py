"""The embedded renderer: ``.qmd`` documents to HTML, PDF and executed ``.ipynb``, as ``quarto render`` does.

One module per stage, data flowing one way (each imports only the ones before it, and ``types``):

- ``types``: the request, ``RenderError``, warnings and the output-format descriptions (a leaf)
- ``document``: read a ``.qmd`` into front matter and cells (includes expanded)
- ``parameters``: ``-P`` / ``--execute-params`` parsing, checking and safe injection
- ``options``: merge ``_quarto.yml``, ``_metadata.yml``, front matter, ``format.<name>`` and cell options
- ``execute``: run the cells once in one Jupyter kernel (eval, error, inline code, figure setup)
- ``markdown``: executed cells and outputs → pandoc Markdown for one format (shortcodes too)
- ``pandoc``: run pandoc with the Lua filters in ``filters/`` (one per feature), and xelatex
- ``formats``: the registry of output formats and their pandoc options
- ``publish``: move all of a render's files into the output folder together
- ``unsupported``: the registry of Quarto features not supported yet, each named in a warning
- ``pipeline``: ``render()``, the only module that knows every stage; ``quarto_engine``: real Quarto
- ``cli``: ``python -m helpers.render``
"""

from helpers.render.cli import main
from helpers.render.pipeline import FORMATS, render
from helpers.render.types import RenderError, RenderRequest

__all__ = ["FORMATS", "RenderError", "RenderRequest", "main", "render"]
