"""Screens of the klantreis app."""
