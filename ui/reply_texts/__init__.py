"""Reply texts (常用语) in the user interface: inserted from the keyboard in the case actions'
text fields (:mod:`.insertion`, :mod:`.picker`) and kept on their own page (:mod:`.manager`)."""
