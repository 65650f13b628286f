"""Rendering: the heartbeat (emotion curve) drawing, and later the summary templates."""
