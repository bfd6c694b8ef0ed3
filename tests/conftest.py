"""Shared test fixtures: where the shared seeds live, if they exist."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds_gold.json"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real seed articles; tests that need them skip cleanly without them."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds not present")
    return SEEDS


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand annotations of the seeds."""
    import json

    if not GOLD.is_file():
        pytest.skip("../shared/gold/seeds_gold.json not present")
    return json.loads(GOLD.read_text(encoding="utf-8"))
