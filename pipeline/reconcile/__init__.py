"""Reconciliation of figures across sources."""

from pipeline.reconcile.core import GroupMemo, interval, reconcile, rounding
from pipeline.reconcile.render import group_markdown, markdown_pieces, render_markdown

__all__ = [
    "GroupMemo",
    "group_markdown",
    "interval",
    "markdown_pieces",
    "reconcile",
    "render_markdown",
    "rounding",
]
