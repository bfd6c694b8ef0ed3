"""Extraction and reconciliation pipeline for Traditional-Chinese news and policy text."""

__version__ = "0.1.0"
