"""The shift handover dialog."""
