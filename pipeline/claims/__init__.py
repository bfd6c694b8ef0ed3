"""Claims: figures with their frame (metric, parties, period, modality, source)."""

from pipeline.claims.build import build_claims
from pipeline.claims.model import Claim
from pipeline.claims.query import query_claims

__all__ = ["Claim", "build_claims", "query_claims"]
