"""The one exception readers raise for files they cannot turn into text."""

from __future__ import annotations


class IngestError(Exception):
    """A file cannot be read; ``str(err)`` is the reason in plain words for the manifest."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
