"""One enterprise on one screen: its details, steward and cases."""
