"""Rendering: heartbeat drawings (ASCII, SVG), summary contexts and the jinja2 templates that write them out."""
