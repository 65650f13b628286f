"""Labelled corpora for measuring klantreis's proposals (themes, organisation variants)."""
