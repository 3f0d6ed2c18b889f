import os

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters must not leak from one test (or CI run) into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it issued."""

    def run(func) -> int:
        with CaptureQueriesContext(connections["default"]) as ctx:
            func()
        return len(ctx.captured_queries)

    return run
