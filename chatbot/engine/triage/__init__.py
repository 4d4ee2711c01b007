"""Triage: emergencies, crises and urgent-care messages, read in context (see ``triage.py``)."""

from .config import OUTCOMES, Concept, TriageConfig, parse
from .triage import Finding, Triage

__all__ = ["OUTCOMES", "Concept", "Finding", "Triage", "TriageConfig", "parse"]
