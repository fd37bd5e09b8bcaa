"""The shell: the main window, its actions, lock and unlock, creating a journal.

The only room that opens journals (storage) and builds the journal object, which it hands
to every page and dialog.
"""
