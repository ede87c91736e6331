"""The first-offense penalty-exemption checklist (首错免罚清单): the catalogue and the decision.

The rules need neither the database nor Qt: the catalogue as data (``items``, ``catalogue``,
``validation``, ``tabular``, ``search``) and the decision (``facts``, ``decision`` with
``outcome``, ``time_bar`` and ``periods``). The database side: ``schema`` (tables and
migration), ``store`` (catalogue versions), ``history`` (earlier offenses), ``service``
(assessing, saving, dispatching), ``assessments`` and ``case_view`` (reading them back).
"""
