"""The intake window that registers a new case: its form, fields, side panel, suggestions,
banners and the draft kept on disk."""
