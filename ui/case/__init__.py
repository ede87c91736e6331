"""The case window: its fields, timeline, relations, actions and dispatch, the dialogs of its
actions, and what it reads off the GUI thread."""
