"""What a department person may change in the rows row-level security lets them write.

Row-level security decides *which* rows are a department's (its cases, its parts of
co-handling); the grants keep the classification columns out of reach. What remains is the
centre's decisions on the department's own rows: its deadline, the date it was dispatched, an
extension's approval, the case's state, the grant of a confidential caller, a supervision
notice's answer-by date. A department answers, it does not decide those; ``psql`` under a
department's role could otherwise extend its own deadline, approve its own extension, close
its case or unmask a confidential caller.

So a trigger on each of those tables (``hotline_department_guard``, BEFORE, for each row)
lets a member of the department group change only the columns of its steps (accept, request
an extension, reply, answer a notice or a part), and those only in the ways the steps change
them (docs/server-security.md, 9). Everyone else, and the owner's functions (a return runs as
the owner in ``hotline_return_case``), pass untouched. The program's own department steps
write exactly these columns.
"""

from __future__ import annotations

from hotline.pg.server.names import RoleNames

# Per table: the columns a department's step may change (UPDATE).
STEP_COLUMNS: dict[str, tuple[str, ...]] = {
    # reply: status, reply, handled_at (and a pending extension request ends); an extension
    # request: its date and reason; every step: version and time.
    "case": (
        "status",
        "reply",
        "handled_at",
        "extension_status",
        "extension_until",
        "extension_reason",
        "version",
        "updated_at",
    ),
    # accept (签收) and the reply's outcome; never the centre's grant of the caller.
    "case_handling": ("accepted_at", "accepted_by", "resolution", "contact_made"),
    # the answer to a notice; never its level, text or answer-by date.
    "supervision_notice": ("answered_at", "answered_by_name", "answer"),
    # an assisting department's answer, the lead's reply ending the parts.
    "case_assist": ("answered_at", "answered_by_name", "answer", "ended_at"),
}

# The timeline entries a department's steps write (hotline.workflow, hotline.attachments).
DEPARTMENT_EVENTS = (
    "accept",
    "request_extension",
    "reply",
    "answer_supervision",
    "answer_assist",
    "note",
    "attach",
    "attachment_view",
    "attachment_remove",
)


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]::text[]"


def guard_function(names: RoleNames) -> str:
    login_prefix = names.prefix + "."
    return f"""
CREATE OR REPLACE FUNCTION public.hotline_department_guard()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $fn$
DECLARE
  v_changed text[];
  v_user integer;
  v_mine integer;
BEGIN
  IF NOT pg_has_role(current_user, '{names.department}', 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME = 'case_event' THEN
    SELECT u.id INTO v_user FROM public."user" AS u
     WHERE '{login_prefix}' || u.username = session_user::text;
    IF NEW.action <> ALL ({_array(DEPARTMENT_EVENTS)}) THEN
      RAISE EXCEPTION 'a department may not record "%" on a case', NEW.action
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.user_id IS DISTINCT FROM v_user THEN
      RAISE EXCEPTION 'a department person records steps as themselves'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF TG_TABLE_NAME = 'case_handling' AND NEW.caller_granted THEN
      RAISE EXCEPTION 'only the centre lets a department see a confidential caller'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  SELECT array_agg(n.key ORDER BY n.key) INTO v_changed
    FROM jsonb_each(to_jsonb(NEW)) AS n JOIN jsonb_each(to_jsonb(OLD)) AS o USING (key)
   WHERE n.value IS DISTINCT FROM o.value AND n.key <> ALL (TG_ARGV);
  IF v_changed IS NOT NULL THEN
    RAISE EXCEPTION 'a department may not change % of %', array_to_string(v_changed, ', '),
      TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_mine := public.hotline_my_department();
  IF TG_TABLE_NAME = 'case' THEN
    IF NEW.version < OLD.version THEN
      RAISE EXCEPTION 'the version of case % cannot go back', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.department_id IS DISTINCT FROM v_mine THEN  -- an assisting department
      IF (NEW.status, NEW.reply, NEW.handled_at, NEW.extension_status, NEW.extension_until,
          NEW.extension_reason) IS DISTINCT FROM (OLD.status, OLD.reply, OLD.handled_at,
          OLD.extension_status, OLD.extension_until, OLD.extension_reason) THEN
        RAISE EXCEPTION 'an assisting department answers its part, not the case %', OLD.id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        OLD.status = 'dispatched' AND NEW.status = 'replied'
        AND coalesce(btrim(NEW.reply), '') <> '' AND NEW.handled_at IS NOT NULL) THEN
      RAISE EXCEPTION 'a department replies to a dispatched case; it does not make case % %',
        OLD.id, NEW.status USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status AND (NEW.reply, NEW.handled_at)
        IS DISTINCT FROM (OLD.reply, OLD.handled_at) THEN
      RAISE EXCEPTION 'the answer of case % is given with its reply', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.extension_status IS NOT DISTINCT FROM OLD.extension_status THEN
      IF (NEW.extension_until, NEW.extension_reason)
          IS DISTINCT FROM (OLD.extension_until, OLD.extension_reason) THEN
        RAISE EXCEPTION 'an extension of case % is asked for with a request', OLD.id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
    ELSIF NEW.extension_status = 'requested' THEN
      IF OLD.status <> 'dispatched' OR OLD.extended
          OR NEW.extension_until IS NULL OR coalesce(btrim(NEW.extension_reason), '') = ''
          OR (OLD.deadline IS NOT NULL AND NEW.extension_until <= OLD.deadline) THEN
        RAISE EXCEPTION 'case % takes no such extension request', OLD.id
          USING ERRCODE = 'insufficient_privilege';
      END IF;
    ELSIF NOT (NEW.extension_status IS NULL AND OLD.extension_status = 'requested'
               AND NEW.status = 'replied') THEN
      RAISE EXCEPTION 'the centre decides the extension of case %', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF TG_TABLE_NAME = 'case_assist' THEN
    IF NEW.ended_at IS DISTINCT FROM OLD.ended_at
        AND public.hotline_case_department(OLD.case_id) IS DISTINCT FROM v_mine THEN
      RAISE EXCEPTION 'the lead department''s reply ends the parts of case %', OLD.case_id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.answered_at, NEW.answered_by_name, NEW.answer)
        IS DISTINCT FROM (OLD.answered_at, OLD.answered_by_name, OLD.answer)
        AND OLD.department_id IS DISTINCT FROM v_mine THEN
      RAISE EXCEPTION 'a part of case % is answered by its own department', OLD.case_id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END
$fn$
"""


def triggers(tables: set[str]) -> dict[tuple[str, str], str]:
    """The guard's triggers on the tables that exist (later migrations add some)."""
    out: dict[tuple[str, str], str] = {}
    for table, columns in STEP_COLUMNS.items():
        if table not in tables:
            continue
        events = "INSERT OR UPDATE" if table == "case_handling" else "UPDATE"
        arguments = ", ".join(f"'{c}'" for c in columns)
        out[(table, "hotline_department_guard")] = (
            f'CREATE TRIGGER hotline_department_guard BEFORE {events} ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION public.hotline_department_guard({arguments})"
        )
    if "case_event" in tables:
        out[("case_event", "hotline_department_guard")] = (
            "CREATE TRIGGER hotline_department_guard BEFORE INSERT ON case_event "
            "FOR EACH ROW EXECUTE FUNCTION public.hotline_department_guard()"
        )
    return out
