"""klantreis: a terminal app for customer-journey (klantreis) interviews."""

__version__ = "0.1.0"
