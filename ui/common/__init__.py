"""What several screens share: background tasks, change events, the session, messages,
settings, theme and icons, field marks, choice combos, enterprise lookups and linked windows."""
