"""The PDFs managers print: the case summary and the weekly report.

- :mod:`.fonts` finds and registers a Chinese font (``register_fonts``).
- :mod:`.data` is the plain data the renderers draw; :mod:`.gather` (weekly figures) and
  :mod:`.case_data` (case summaries) read it from the database (the checklist's assessments
  through :mod:`hotline.exemption.assessments`); :mod:`.weeks` is the ISO week arithmetic;
  :mod:`.definitions` says what each weekly figure counts.
- :mod:`.case_pdf` (``render_case_summary``, sections in :mod:`.case_sections`) and
  :mod:`.weekly_pdf` (``render_weekly_report``, KPI table in :mod:`.kpi_table`, charts in
  :mod:`.charts`) draw them with reportlab; :mod:`.pages`, :mod:`.styles` and
  :mod:`.textfit` are shared furniture.

Importing this package loads nothing heavy; import the module you need.
"""
