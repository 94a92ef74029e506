"""Kept so ``from annotator import schema`` still works: the module is ``annotator.store.schema``."""

import sys

from annotator.store import schema as _schema

sys.modules[__name__] = _schema
