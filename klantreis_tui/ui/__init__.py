"""The Textual user interface of klantreis."""
