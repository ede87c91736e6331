"""Fixtures for the PostgreSQL-only tests: skipped, with the reason, without a server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline import db
from tests import backends


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, migrated database on the configured server."""
    with backends.server().fresh() as url:
        yield url


@pytest.fixture
def pg_database(pg_url: str):
    handle = db.open_database(pg_url)
    yield handle
    db.close()


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """The URL of a new database with no tables (what migrate-to expects)."""
    with backends.server().empty() as url:
        yield url


@pytest.fixture(scope="module")
def cluster() -> Iterator[backends.Cluster]:
    """A private server the module's tests may stop and start."""
    if not backends.PG_URL:
        backends.unavailable(backends.SKIP_REASON)
    with backends.private_cluster() as running:
        yield running
