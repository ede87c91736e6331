"""Starting the app: first run, sign-in, the demo loader, the idle lock, the settings dialog and
the daily automatic backup."""
