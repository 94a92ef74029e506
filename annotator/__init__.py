"""Annotator: close reading of news coverage. The core API, free of Qt.

    from annotator import Project
    project = Project.create("coverage.db")
"""

from annotator.errors import AnnotatorError
from annotator.models import Annotation, Document, Entity, Label, Relation
from annotator.project import ImportReport, Project

__all__ = ["Annotation", "AnnotatorError", "Document", "Entity", "ImportReport", "Label", "Project", "Relation"]
__version__ = "0.1.0"
