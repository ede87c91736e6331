"""The first-offense penalty-exemption checklist (首错免罚清单): catalogue and decision.

Pure code: no database and no Qt. ``catalogue`` loads, imports and searches the versioned
catalogue; ``decision`` turns the facts of a case into an outcome with reasons citing the law.
"""

from hotline.exemption.catalogue import (
    Catalogue,
    CatalogueItem,
    Condition,
    default_catalogue,
    find,
    parse_catalogue_file,
)
from hotline.exemption.decision import Decision, Ground, Outcome, Reason, decide
from hotline.exemption.facts import Facts, Harm, parse_facts

__all__ = [
    "Catalogue",
    "CatalogueItem",
    "Condition",
    "Decision",
    "Facts",
    "Ground",
    "Harm",
    "Outcome",
    "Reason",
    "decide",
    "default_catalogue",
    "find",
    "parse_catalogue_file",
    "parse_facts",
]
