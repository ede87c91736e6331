"""The PDFs in the app: the weekly report dialog, the preview, printing and saving."""
