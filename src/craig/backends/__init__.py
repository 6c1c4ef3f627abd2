"""How a part (a class, or all points) gets its objective and its selection.

Every backend is a function ``select_part(points, request) -> PartSelection``.
"""

from craig.backends._part import PartRequest, PartSelection

__all__ = ["PartRequest", "PartSelection"]
