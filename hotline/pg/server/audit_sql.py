"""The audit trail written by the database: functions and triggers ``server setup`` installs.

Every change of a protected table appends an entry, whoever made it and with whatever client:
the actor is the session's login role (``session_user``, which no client can fake), the entry
is chained under a row lock on ``audit_head`` with the same SHA-256 hash as
:func:`hotline.audit.entry_hash` (a JSON array of the seven fields, keys sorted, no spaces,
non-ASCII kept), so ``audit verify`` checks entries written here and by the program alike.
The audit tables refuse UPDATE, DELETE and TRUNCATE to everyone, their owner included; the
head may only move forward onto the entry just appended.
"""

from __future__ import annotations

# (table, key column, columns whose values an entry records only as changed)
AUDITED_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("case", "id", ()),  # its contact columns hold the masked forms (migration 19)
    ("case_contact", "case_id", ("contact_name", "contact_phone")),
    ("case_event", "id", ()),
    ("user", "id", ("password_hash",)),
    ("department", "id", ()),
    ("district", "code", ()),
    ("holiday", "day", ()),
    ("setting", "key", ()),
    ("enterprise", "id", ()),
    ("handover_note", "id", ()),
    ("exemption_catalogue", "id", ()),
    ("exemption_assessment", "id", ()),
    ("exemption_penalty", "id", ()),
    # The department stage, co-handling, documents (their rows; the chunks' bytes are covered
    # by the row's SHA-256), department membership, reply texts and the knowledge base.
    ("case_handling", "case_id", ()),
    ("supervision_notice", "id", ()),
    ("case_assist", "id", ()),
    ("attachment", "id", ()),
    ("department_member", "user_id", ()),
    ("reply_text", "id", ()),
    ("knowledge_article", "id", ()),
    ("knowledge_synonym", "id", ()),
)
AUDIT_TABLES = ("audit_entry", "audit_head")
ROW_TRIGGER = "hotline_audit"
MASK = "***"

# The payload is Python's json.dumps(..., ensure_ascii=False, separators=(",", ":")) of a list
# of strings: PostgreSQL's to_json escapes a text exactly as json.dumps does then (", \, \b,
# \f, \n, \r, \t, other control characters as \u00xx; the rest as it is).
HASH_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_audit_hash(
    prev text, at timestamp, actor text, action text, entity text, entity_id text, detail text)
RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT encode(sha256(convert_to(
    '[' || to_json(prev)::text
    || ',' || to_json(to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text
    || ',' || to_json(actor)::text || ',' || to_json(action)::text
    || ',' || to_json(entity)::text || ',' || to_json(entity_id)::text
    || ',' || to_json(detail)::text || ']', 'UTF8')), 'hex')
$fn$
"""

# The clock of hotline.clock: China time (UTC+8, no daylight saving), naive, microseconds.
APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_audit_append(
    p_action text, p_entity text, p_entity_id text, p_detail text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_head record;
  v_at timestamp := clock_timestamp() AT TIME ZONE INTERVAL '+08:00';
  v_actor text := left(session_user::text, 60);
  v_action text := left(coalesce(p_action, ''), 40);
  v_entity text := left(coalesce(p_entity, ''), 24);
  v_entity_id text := left(coalesce(p_entity_id, ''), 40);
  v_detail text := coalesce(p_detail, '{}');
  v_hash text;
BEGIN
  SELECT last_id, last_hash INTO v_head FROM public.audit_head WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the audit head is missing' USING ERRCODE = 'data_corrupted';
  END IF;
  v_hash := public.hotline_audit_hash(
    v_head.last_hash, v_at, v_actor, v_action, v_entity, v_entity_id, v_detail);
  INSERT INTO public.audit_entry (id, at, actor, action, entity, entity_id, detail, prev_hash, hash)
  VALUES (v_head.last_id + 1, v_at, v_actor, v_action, v_entity, v_entity_id, v_detail,
          v_head.last_hash, v_hash);
  UPDATE public.audit_head SET last_id = v_head.last_id + 1, last_hash = v_hash WHERE id = 1;
  RETURN v_head.last_id + 1;
END
$fn$
"""

# Arguments: the key column, then the columns whose values are masked.
ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_audit_row()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_old jsonb;
  v_new jsonb;
  v_masked text[] := TG_ARGV[1:];
  v_detail jsonb;
  v_column text;
BEGIN
  IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(n.key, CASE WHEN n.key = ANY (v_masked)
                                        THEN jsonb_build_array('***', '***')
                                        ELSE jsonb_build_array(v_old -> n.key, n.value) END)
      INTO v_detail
      FROM jsonb_each(v_new) AS n
     WHERE n.value IS DISTINCT FROM v_old -> n.key;
    IF v_detail IS NULL THEN
      RETURN NULL;  -- nothing changed
    END IF;
    v_detail := jsonb_build_object('changed', v_detail);
  ELSE
    v_detail := coalesce(v_new, v_old);
    FOREACH v_column IN ARRAY coalesce(v_masked, '{}'::text[]) LOOP
      IF v_detail ? v_column AND coalesce(v_detail ->> v_column, '') <> '' THEN
        v_detail := jsonb_set(v_detail, ARRAY[v_column], '"***"');
      END IF;
    END LOOP;
    v_detail := jsonb_build_object(CASE WHEN TG_OP = 'INSERT' THEN 'new' ELSE 'old' END, v_detail);
  END IF;
  PERFORM public.hotline_audit_append(
    'db.' || TG_TABLE_NAME || '.' || lower(TG_OP), TG_TABLE_NAME,
    coalesce(coalesce(v_new, v_old) ->> TG_ARGV[0], ''), v_detail::text);
  RETURN NULL;
END
$fn$
"""

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_audit_refuse()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$fn$
"""

# The head moves one entry forward, onto the entry just appended, and nowhere else.
HEAD_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hotline_audit_head_guard()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $fn$
BEGIN
  IF NEW.id <> OLD.id OR NEW.last_id <> OLD.last_id + 1 OR NEW.last_hash IS DISTINCT FROM
     (SELECT e.hash FROM public.audit_entry AS e WHERE e.id = NEW.last_id) THEN
    RAISE EXCEPTION 'the audit head only moves onto the entry just appended'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$
"""

FUNCTIONS = {
    "hotline_audit_hash": HASH_FUNCTION,
    "hotline_audit_append": APPEND_FUNCTION,
    "hotline_audit_row": ROW_FUNCTION,
    "hotline_audit_refuse": REFUSE_FUNCTION,
    "hotline_audit_head_guard": HEAD_FUNCTION,
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def triggers(existing_tables: set[str]) -> dict[tuple[str, str], str]:
    """(table, trigger name) → the CREATE TRIGGER statement, for the tables that exist."""
    out: dict[tuple[str, str], str] = {}
    for table, key, masked in AUDITED_TABLES:
        if table not in existing_tables:
            continue
        args = ", ".join(_literal(a) for a in (key, *masked))
        out[(table, ROW_TRIGGER)] = (
            f"CREATE TRIGGER {ROW_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {_quoted(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION public.hotline_audit_row({args})"
        )
    for table in AUDIT_TABLES:
        ops = "DELETE" if table == "audit_head" else "UPDATE OR DELETE"
        out[(table, "hotline_append_only")] = (
            f"CREATE TRIGGER hotline_append_only BEFORE {ops} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.hotline_audit_refuse()"
        )
        out[(table, "hotline_no_truncate")] = (
            f"CREATE TRIGGER hotline_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public.hotline_audit_refuse()"
        )
    out[("audit_head", "hotline_head_guard")] = (
        "CREATE TRIGGER hotline_head_guard BEFORE UPDATE ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION public.hotline_audit_head_guard()"
    )
    return out
