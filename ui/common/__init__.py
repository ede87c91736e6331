"""What several screens share: background tasks, change events, the session, messages,
settings, theme and icons, field marks, choice combos, enterprise lookups, linked windows and
"only the latest request counts"."""
