"""Office and research file formats (REFI-QDA, XLSX, DOCX) and the klantreis visual: written from data the
services hand over, never from the database. Heavy libraries are imported inside the functions that use them."""
