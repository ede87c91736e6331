"""A shift lead corrects the enterprise records on a server with a login role per person,
signed in as their own role: a rename keeps the old name, a merge moves the duplicate's cases
and former names to the record kept (it failed there before: the merge's move of the former
names had no UPDATE grant)."""

from __future__ import annotations

from hotline import access, cases, db, enterprise_directory
from hotline.enums import Role
from hotline.models import Case, Enterprise
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import PEOPLE, Centre, sign_in_person
from tests.hotline.pg_server.refusals import refused

CLI = Actor.command_line("enterprise-test")
CODE = "91410600MA44XKQ35C"


def _two_records(centre: Centre) -> tuple[int, int]:
    db.connect(centre.owner_url())
    try:
        kept = cases.register(CLI, sample_case(enterprise={"name": "鹤壁市华联商贸有限公司"}))
        moved = cases.register(CLI, sample_case(enterprise={"name": "华联商贸", "uscc": CODE}))
        enterprise_directory.rename(CLI, moved.enterprise_id, "华联商贸公司", reason="简称")
        return int(kept.enterprise_id), int(moved.enterprise_id)
    finally:
        access.end_session()
        db.close()


def test_a_shift_lead_merges_two_records_as_their_own_role(settled: Centre) -> None:
    survivor, duplicate = _two_records(settled)
    lead = sign_in_person(settled, PEOPLE[Role.SHIFT_LEAD][0])
    try:
        enterprise_directory.rename(lead, survivor, "鹤壁华联集团有限公司", reason="更名")
        result = enterprise_directory.merge(lead, survivor, duplicate, "同一企业重复建档")
        assert len(result.moved_case_nos) == 1
    finally:
        access.end_session()
        db.close()
    db.connect(settled.owner_url())
    try:
        assert Enterprise.get_or_none(Enterprise.id == duplicate) is None
        assert {case.enterprise_id for case in Case.select()} == {survivor}
        assert set(enterprise_directory.row(survivor).former_names) == {
            "鹤壁市华联商贸有限公司",  # the rename
            "华联商贸",  # the duplicate's former name, moved
            "华联商贸公司",  # the duplicate's own name
        }
    finally:
        db.close()


def test_a_former_name_keeps_its_words(settled: Centre) -> None:
    """The lead may move a former name to another record, never rewrite what it says."""
    _two_records(settled)
    lead = settled.as_role(Role.SHIFT_LEAD)
    try:
        refused(lead, "UPDATE enterprise_former_name SET name = '改写的名称'")
        refused(lead, "UPDATE enterprise_former_name SET reason = '', valid_to = now()")
    finally:
        lead.close()
