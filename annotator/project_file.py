"""Kept so ``from annotator import project_file`` still works: the module is ``annotator.store.file``
(the same module object, so a test that sets ``project_file.LOCK_TIMEOUT`` sets the one the store reads)."""

import sys

from annotator.store import file as _file

sys.modules[__name__] = _file
