"""Cleaning model output before any view: `output` runs the passes (chatter, fences, inline
markup, links, raw HTML, length) and builds the footer."""
