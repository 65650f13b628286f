"""Benchmarks: scripts that print figures beside a reference. Not part of the test run."""
