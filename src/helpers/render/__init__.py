"""``python -m helpers.render`` is the old name of ``python -m qmdrender``, the embedded renderer.

The renderer is its own package (``src/qmdrender``) and ``helpers`` never imports it: ``__main__``
hands the command line to ``python -m qmdrender`` in the same process slot (``exec``), so existing
commands keep working with the same arguments, output and exit status.
"""
