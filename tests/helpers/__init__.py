"""Helpers shared by the journal-file tests: journal factories, folder snapshots, and
scripts run as subprocesses (``save_loop.py``)."""
