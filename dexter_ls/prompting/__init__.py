"""Prompts: templates, context within a token budget, redaction, output cleaning."""
