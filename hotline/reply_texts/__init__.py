"""Reply texts (常用语): ready-made texts for replies, callbacks, notes, returns and supervision
notices, with placeholders (``{企业名称}``, ``{案件编号}``…) filled from the case.

A text is a person's own (private) or the centre's (shared: written by those with
``reply_text.shared``, every change audited). :mod:`.placeholders` knows the placeholders and
fills them; :mod:`.service` keeps the texts; :mod:`.transfer` imports and exports them.
"""
