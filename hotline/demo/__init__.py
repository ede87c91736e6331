"""Demo data: realistic synthetic enterprises and cases, written by :mod:`.generator`."""
