"""Dialogs: windows a page or the shell opens for one task (a check-in, an export, the
safety panel, a guided prompt flow...). They get the journal object, never storage.
"""
