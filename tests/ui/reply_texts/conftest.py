"""The reply text tests open case windows on the case window tests' Monday morning."""

from __future__ import annotations

import pytest

from hotline import clock
from tests.ui.case.conftest import MONDAY


@pytest.fixture
def frozen():
    with clock.frozen(MONDAY):
        yield
