"""Documents on cases (issue 16): stored in the database in chunks, checked by content and
SHA-256, limited in size by the administrator, every use audited and on the timeline.

- :mod:`~hotline.attachments.schema`: the tables and migration 13;
- :mod:`~hotline.attachments.content_types`: what a file is, by its content;
- :mod:`~hotline.attachments.limits`: the size limits (an administrator's setting);
- :mod:`~hotline.attachments.chunks`: writing and reading content one chunk at a time;
- :mod:`~hotline.attachments.records`: what windows and reports are given;
- :mod:`~hotline.attachments.service`: adding, listing, opening, saving, removing;
- :mod:`~hotline.attachments.bundle`: the zip of attachments beside a JSON export.
"""
