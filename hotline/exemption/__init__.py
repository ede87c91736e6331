"""The first-offense penalty-exemption checklist (首错免罚清单): catalogue and decision.

Pure code: no database and no Qt. ``catalogue`` loads, imports and searches the versioned
catalogue; ``decision`` turns the facts of a case into an outcome with reasons citing the law.

The names below are loaded from their module on first use: opening a database imports this
package (for the checklist's migration in ``schema``), which must not cost the catalogue and
the rules at every start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULE_OF = {
    "Catalogue": "catalogue",
    "CatalogueItem": "catalogue",
    "Condition": "catalogue",
    "default_catalogue": "catalogue",
    "find": "catalogue",
    "parse_catalogue_file": "catalogue",
    "Decision": "decision",
    "Ground": "decision",
    "Outcome": "decision",
    "Reason": "decision",
    "decide": "decision",
    "Facts": "facts",
    "Harm": "facts",
    "parse_facts": "facts",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
