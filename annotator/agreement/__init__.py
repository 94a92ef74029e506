"""Inter-annotator agreement: span P/R/F1, kappas, Krippendorff's alpha and alpha-u.

Pure Python (plus numpy and the ``krippendorff`` package); no Qt, no database.
Formulas and conventions: docs/agreement.md.
"""

from annotator.agreement.kappa import (
    alpha_nominal,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
)
from annotator.agreement.report import agreement_report
from annotator.agreement.spans import PRF, span_prf
from annotator.agreement.unitizing import (
    AlphaU,
    alpha_unitizing,
    alpha_unitizing_details,
    segment_distance,
)

__all__ = [
    "PRF",
    "AlphaU",
    "agreement_report",
    "alpha_nominal",
    "alpha_unitizing",
    "alpha_unitizing_details",
    "cohen_kappa",
    "confusion_matrix",
    "fleiss_kappa",
    "segment_distance",
    "span_prf",
]
