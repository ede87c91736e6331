"""People as login roles: the SECURITY DEFINER functions administrators change them with.

A person's password never travels as text in SQL: the client computes a SCRAM-SHA-256
verifier (libpq's ``PQencryptPasswordConn``, psycopg2's ``encrypt_password``) and passes that;
the functions refuse anything else. The functions belong to the ``…_useradmin`` role, the one
role of a database that may create roles; they run only for members of the administrators'
group (``hotline_change_own_password``: for any person of this database, on their own role)
and every change they make to ``user`` is audited by its trigger with the caller as actor.
"""

from __future__ import annotations

from typing import Any

from hotline.enums import Role
from hotline.pg.server.names import RoleNames

VERIFIER_PREFIX = "SCRAM-SHA-256$"
# The user row of a person who signs in as a login role holds no password of the program's.
NO_APP_PASSWORD = "!server-role"


def verifier(conn: Any, password: str, login: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for ``login``, computed here (the server
    sees only the verifier, never the password)."""
    from psycopg2.extensions import encrypt_password

    return str(encrypt_password(password, login, conn, "scram-sha-256"))


# What every person of the database may call (the rest: administrators only).
EVERY_PERSON = ("hotline_change_own_password", "hotline_signed_in")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _common(names: RoleNames) -> dict[str, str]:
    groups = ", ".join(_literal(names.group(r)) for r in Role)
    return {
        "prefix": _literal(names.prefix + "."),
        "prefix_group": _literal(names.prefix + "_"),
        "admin": _literal(names.group(Role.ADMIN)),
        "groups": f"ARRAY[{groups}]::text[]",
        "roles": "ARRAY[" + ", ".join(_literal(r.value) for r in Role) + "]::text[]",
    }


# Checks shared by the functions (a PL/pgSQL fragment).
_REQUIRE_ADMIN = """
  IF NOT pg_has_role(session_user, {admin}, 'MEMBER') THEN
    RAISE EXCEPTION 'only administrators manage people' USING ERRCODE = 'insufficient_privilege';
  END IF;
"""
_CHECK_VERIFIER = f"""
  IF p_verifier IS NULL OR left(p_verifier, {len(VERIFIER_PREFIX)}) <> '{VERIFIER_PREFIX}' THEN
    RAISE EXCEPTION 'a SCRAM-SHA-256 verifier is expected, never a password'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
"""
_PERSON = """
  IF p_username IS NULL OR p_username !~ '^[A-Za-z0-9_.\\-]{{2,40}}$' THEN
    RAISE EXCEPTION 'invalid user name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_login := {prefix} || p_username;
"""
_CHECK_ROLE = """
  IF p_role IS NULL OR NOT p_role = ANY ({roles}) THEN
    RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = 'invalid_parameter_value';
  END IF;
"""
_EXISTS = """
  IF NOT EXISTS (SELECT 1 FROM public."user" WHERE username = p_username)
     OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_login) THEN
    RAISE EXCEPTION 'no person %', p_username USING ERRCODE = 'undefined_object';
  END IF;
"""


def _function(name: str, params: str, returns: str, body: str, names: RoleNames) -> str:
    text = (
        f"CREATE OR REPLACE FUNCTION public.{name}({params})\n"
        f"RETURNS {returns} LANGUAGE plpgsql SECURITY DEFINER\n"
        "SET search_path = pg_catalog, public, pg_temp\n"
        "AS $fn$\n"
        "DECLARE\n  v_login text;\n  v_group text;\n"
        "BEGIN\n" + body + "END\n$fn$\n"
    )
    return text.format(**_common(names))


def functions(names: RoleNames) -> dict[str, tuple[str, str]]:
    """Function name → (its signature's argument types, its CREATE statement)."""
    china_now = "(clock_timestamp() AT TIME ZONE INTERVAL '+08:00')"
    return {
        "hotline_create_person": (
            "text, text, text, text",
            _function(
                "hotline_create_person",
                "p_username text, p_display_name text, p_role text, p_verifier text",
                "text",
                _REQUIRE_ADMIN
                + _PERSON
                + _CHECK_ROLE
                + _CHECK_VERIFIER
                + """
  IF coalesce(btrim(p_display_name), '') = '' OR length(p_display_name) > 40 THEN
    RAISE EXCEPTION 'invalid display name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_login)
     OR EXISTS (SELECT 1 FROM public."user" WHERE username = p_username) THEN
    RAISE EXCEPTION 'person % exists', p_username USING ERRCODE = 'duplicate_object';
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L IN ROLE %I',
                 v_login, p_verifier, {prefix_group} || p_role);
  INSERT INTO public."user" (username, display_name, role, password_hash, active,
                             failed_attempts, must_change_password, created_at)
  VALUES (p_username, btrim(p_display_name), p_role, '"""
                + NO_APP_PASSWORD
                + f"""', true, 0, true, {china_now});
  RETURN v_login;
""",
                names,
            ),
        ),
        "hotline_set_person_role": (
            "text, text",
            _function(
                "hotline_set_person_role",
                "p_username text, p_role text",
                "void",
                _REQUIRE_ADMIN
                + _PERSON
                + _CHECK_ROLE
                + _EXISTS
                + """
  FOREACH v_group IN ARRAY {groups} LOOP
    IF pg_has_role(v_login, v_group, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', v_group, v_login);
    END IF;
  END LOOP;
  EXECUTE format('GRANT %I TO %I', ({groups})[array_position({roles}, p_role)], v_login);
  UPDATE public."user" SET role = p_role WHERE username = p_username;
""",
                names,
            ),
        ),
        "hotline_set_person_active": (
            "text, boolean",
            _function(
                "hotline_set_person_active",
                "p_username text, p_active boolean",
                "void",
                _REQUIRE_ADMIN
                + _PERSON
                + _EXISTS
                + """
  IF v_login = session_user::text AND NOT p_active THEN
    RAISE EXCEPTION 'nobody disables their own sign-in' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('ALTER ROLE %I %s', v_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
  UPDATE public."user" SET active = p_active WHERE username = p_username;
""",
                names,
            ),
        ),
        "hotline_reset_password": (
            "text, text",
            _function(
                "hotline_reset_password",
                "p_username text, p_verifier text",
                "void",
                _REQUIRE_ADMIN
                + _PERSON
                + _CHECK_VERIFIER
                + _EXISTS
                + """
  EXECUTE format('ALTER ROLE %I PASSWORD %L', v_login, p_verifier);
  UPDATE public."user" SET must_change_password = true, failed_attempts = 0, locked_until = NULL
   WHERE username = p_username;
""",
                names,
            ),
        ),
        "hotline_change_own_password": (
            "text",
            _function(
                "hotline_change_own_password",
                "p_verifier text",
                "void",
                _CHECK_VERIFIER
                + """
  v_login := session_user::text;
  IF left(v_login, length({prefix})) <> {prefix} OR NOT EXISTS (
       SELECT 1 FROM unnest({groups}) AS g WHERE pg_has_role(v_login, g, 'MEMBER')) THEN
    RAISE EXCEPTION 'not a person of this database' USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', v_login, p_verifier);
  UPDATE public."user" SET must_change_password = false
   WHERE username = substr(v_login, length({prefix}) + 1);
""",
                names,
            ),
        ),
        # The sign-in stamp: a person may not write "user", so the function writes their own
        # row's last sign-in (and clears the program's failure count, which a server's
        # refusals never reach).
        "hotline_signed_in": (
            "",
            _function(
                "hotline_signed_in",
                "",
                "void",
                """
  v_login := session_user::text;
  IF left(v_login, length({prefix})) <> {prefix} THEN
    RAISE EXCEPTION 'not a person of this database' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public."user" SET last_login_at = """
                + china_now
                + """, failed_attempts = 0, locked_until = NULL
   WHERE username = substr(v_login, length({prefix}) + 1) AND active;
""",
                names,
            ),
        ),
    }
