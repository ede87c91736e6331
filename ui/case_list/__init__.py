"""The main window's case list: the table model and view, its columns, the row store that
reads pages off the GUI thread, and the search box's search."""
