"""The exemption catalogue: loading the shipped versions, reading imports, finding items.

The program ships one JSON file per version under ``resources/exemption/``
(``catalogue-<version>.json``); :func:`default_catalogue` is the newest. Administrators import
an official list from CSV, XLSX or JSON with :func:`parse_catalogue_file`, which checks every
row and returns nothing unless all are right.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path
from typing import Any

from hotline.errors import NotFound
from hotline.exemption.items import Catalogue, CatalogueItem, Condition
from hotline.exemption.search import find
from hotline.exemption.tabular import parse_catalogue_file, write_csv, write_xlsx
from hotline.exemption.validation import catalogue_from_dict
from hotline.i18n import N_
from hotline.paths import RESOURCES

__all__ = [
    "CATALOGUE_DIR",
    "Catalogue",
    "CatalogueItem",
    "Condition",
    "available_versions",
    "catalogue_from_dict",
    "default_catalogue",
    "find",
    "load_catalogue",
    "load_version",
    "parse_catalogue_file",
    "version_key",
    "write_csv",
    "write_xlsx",
]

log = logging.getLogger(__name__)

CATALOGUE_DIR = RESOURCES / "exemption"
FILE_PATTERN = re.compile(r"^catalogue-(?P<version>.+)\.json$")


def version_key(version: str) -> tuple[Any, ...]:
    """Sort key of a version: ``2026.10`` after ``2026.9``; text parts compare as text."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-_]", version)
    )


def load_catalogue(path: str | Path) -> Catalogue:
    """A catalogue from its JSON file (the form :meth:`Catalogue.to_dict` writes)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return catalogue_from_dict(data)


def available_versions(directory: Path = CATALOGUE_DIR) -> list[str]:
    """The versions shipped in ``directory``, oldest first."""
    versions = []
    for path in directory.glob("catalogue-*.json"):
        match = FILE_PATTERN.match(path.name)
        if match:
            versions.append(match.group("version"))
    return sorted(versions, key=version_key)


@functools.cache
def load_version(version: str, directory: Path = CATALOGUE_DIR) -> Catalogue:
    """The shipped catalogue of ``version``; NotFound when no such file is shipped."""
    path = directory / f"catalogue-{version}.json"
    if not path.is_file():
        raise NotFound(N_("没有 {version} 版的首错免罚清单"), version=version)
    catalogue = load_catalogue(path)
    log.debug("loaded exemption catalogue %s (%s items)", catalogue.version, len(catalogue))
    return catalogue


def default_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """The newest shipped catalogue (loaded once, then kept)."""
    versions = available_versions(directory)
    if not versions:
        raise NotFound(N_("程序没有附带首错免罚清单"))
    return load_version(versions[-1], directory)
