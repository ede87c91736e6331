"""What every connection of the program asks of the server for its session."""

from __future__ import annotations

from hotline.pg.connection import connect_params


def test_the_program_never_compiles_its_queries_just_in_time(pg_database) -> None:
    """A short query whose estimated cost passed jit_above_cost (a department's case list
    under row-level security) spent 70 ms compiling for 9 ms of work: JIT is off."""
    (setting,) = pg_database.execute_sql("SHOW jit").fetchone()
    assert setting == "off"


def test_a_url_that_sets_its_own_options_keeps_them() -> None:
    params = connect_params("postgresql://u@h/db?options=-c%20statement_timeout%3D5000")
    assert "options" not in params  # the URL's own, in its DSN
    assert connect_params("postgresql://u@h/db")["options"] == "-c jit=off"
