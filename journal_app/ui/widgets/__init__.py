"""Reusable widgets: editors, answer widgets, passphrase fields. No dialogs, no pages."""
