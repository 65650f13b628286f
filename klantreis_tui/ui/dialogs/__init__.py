"""Modal dialogs: confirmation, forms, the step editor and help."""
