"""The guide's content, one module per concern: points and meridians, pain types, warning
signs and cautions, references, advice, and the body views points are drawn on."""

from .advice import Benefit, Tip
from .body_view import (
    BodyView,
    LabelPosition,
    MarkerSide,
    PointMarker,
)
from .pain_type import PainType, PainTypeQuerySet, PointPainType
from .point import (
    MAX_PRESS_SECONDS,
    BodyRegion,
    Meridian,
    Point,
    PointQuerySet,
    detail_prefetches,
)
from .reference import PointReference, Reference
from .review import Reviewed, ReviewQuerySetMixin, review_due_before
from .safety import (
    Caution,
    CautionQuerySet,
    PointCaution,
    RedFlag,
    RedFlagQuerySet,
    cautions_with_codes,
)

__all__ = [
    "MAX_PRESS_SECONDS",
    "Benefit",
    "BodyRegion",
    "BodyView",
    "Caution",
    "CautionQuerySet",
    "PainType",
    "PainTypeQuerySet",
    "LabelPosition",
    "MarkerSide",
    "Meridian",
    "Point",
    "PointCaution",
    "PointPainType",
    "PointMarker",
    "PointQuerySet",
    "PointReference",
    "RedFlag",
    "RedFlagQuerySet",
    "Reference",
    "ReviewQuerySetMixin",
    "Reviewed",
    "Tip",
    "cautions_with_codes",
    "detail_prefetches",
    "review_due_before",
]
