"""The main window and the helpers it owns: menus, menu actions, syncing with other
workstations, the views panel, the filter bar and the status strip."""
