"""Reconciliation of figures across sources."""

from pipeline.reconcile.core import interval, reconcile, rounding
from pipeline.reconcile.render import render_markdown

__all__ = ["interval", "reconcile", "render_markdown", "rounding"]
