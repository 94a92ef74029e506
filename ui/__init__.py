"""The desktop app. The only package that imports Qt; it calls the core and never writes SQL.

Importing it imports PySide6 and then spares PySide6's import hook a file read per module: once
PySide6 is imported, the first ``import`` of each module (and each later ``from m import x`` of a
module imported before PySide6) runs shibokensupport's ``__feature__`` check, which reads the
module's whole source (``inspect.getsource``) to see whether it mentions PySide6. Before the first
frame that is ~75 modules and ~20 ms. The answer is known without reading: see ``pyside_source``.
"""

from ui.pyside_source import record_feature_checks

record_feature_checks()
