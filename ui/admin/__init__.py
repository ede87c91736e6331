"""Administration: the admin window and its pages (users, departments, holidays, policy), and
the audit log window."""
