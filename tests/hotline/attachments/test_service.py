"""Adding, reading, limits, corruption, permissions by role, tombstones, audit and timeline."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from hotline import audit, cases, timeline
from hotline.attachments import chunks, limits, service
from hotline.attachments.schema import Attachment, AttachmentChunk
from hotline.case_view import load_case_window
from hotline.enums import Role
from hotline.errors import NotFound, PermissionDenied, ValidationError
from hotline.models import AuditEntry, Case
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.attachments.files import ELF, MB, SAMPLES, big_pdf, sha256_of, write
from tests.hotline.desk import add_people, department_person

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
ADMIN = Actor("管理员", Role.ADMIN, None)


def _case(**overrides: object) -> Case:
    return cases.register(OPERATOR, sample_case(**overrides))


def _read(actor: Actor, attachment_id: int) -> bytes:
    out = io.BytesIO()
    service.write_to(actor, attachment_id, out)
    return out.getvalue()


def test_a_20_mb_file_round_trips_with_its_hash(database, tmp_path: Path) -> None:
    case = _case()
    path, digest = big_pdf(tmp_path)
    info = service.add(OPERATOR, case.id, path)
    assert (info.size, info.sha256, info.content_type) == (20 * MB, digest, "pdf")
    assert info.name == "处罚决定书.pdf" and info.added_by == "坐席甲"
    stored = AttachmentChunk.select().where(AttachmentChunk.attachment == info.id).count()
    assert stored == 80  # 256 KiB chunks
    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    service.save_as(OPERATOR, info.id, target)
    assert sha256_of(target) == digest
    assert target.stat().st_mode & 0o777 == 0o600


def test_memory_stays_flat_while_20_mb_are_stored_and_read(database, tmp_path: Path) -> None:
    case = _case()
    path, digest = big_pdf(tmp_path)
    tracemalloc.start()
    try:
        info = service.add(OPERATOR, case.id, path)
        _, add_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        out = tmp_path / "read.pdf"
        service.save_as(OPERATOR, info.id, out)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sha256_of(out) == digest
    assert add_peak < 5 * MB, add_peak
    assert read_peak < 5 * MB, read_peak


def test_a_renamed_executable_is_refused_and_nothing_is_stored(database, tmp_path: Path) -> None:
    case = _case()
    path = write(tmp_path, "营业执照.pdf", ELF)
    with pytest.raises(ValidationError) as caught:
        service.add(OPERATOR, case.id, path)
    assert "营业执照.pdf" in caught.value.text and "可执行程序" in caught.value.text
    assert Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0


def test_text_that_turns_binary_after_the_first_chunk_leaves_nothing(database) -> None:
    case = _case()
    data = b"line of text\n" * 40_000 + b"\x00\x01binary"
    with pytest.raises(ValidationError, match=r"说明\.txt"):
        service.add(OPERATOR, case.id, io.BytesIO(data), "说明.txt")
    assert Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_accepted_type_round_trips(database, code: str) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES[code]), f"file.{code}")
    assert info.content_type == code
    assert _read(OPERATOR, info.id) == SAMPLES[code]


def test_a_corrupted_chunk_is_detected_and_never_served(database, tmp_path: Path) -> None:
    case = _case()
    path, _ = big_pdf(tmp_path, size=3 * MB)
    info = service.add(OPERATOR, case.id, path)
    chunk = AttachmentChunk.get(
        (AttachmentChunk.attachment == info.id) & (AttachmentChunk.seq == 5)
    )
    damaged = bytearray(bytes(chunk.data))
    damaged[100] ^= 0xFF
    AttachmentChunk.update(data=bytes(damaged)).where(AttachmentChunk.id == chunk.id).execute()
    target = tmp_path / "copy.pdf"
    with pytest.raises(chunks.CorruptAttachment) as caught:
        service.save_as(OPERATOR, info.id, target)
    assert "第 6 块" in caught.value.text and case.case_no in caught.value.text
    assert not target.exists()  # the file appears only when complete and checked
    out = io.BytesIO()
    with pytest.raises(chunks.CorruptAttachment):
        service.write_to(OPERATOR, info.id, out)
    assert len(out.getvalue()) == 5 * 256 * 1024  # not one byte of the damaged chunk


def test_a_missing_chunk_is_detected(database) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(b"%PDF-1.4\n" + b"x" * 600_000), "a.pdf")
    AttachmentChunk.delete().where(
        (AttachmentChunk.attachment == info.id) & (AttachmentChunk.seq == 1)
    ).execute()
    with pytest.raises(chunks.CorruptAttachment, match="不完整"):
        _read(OPERATOR, info.id)


def test_the_file_limit_and_the_case_limit_are_enforced(database, tmp_path: Path) -> None:
    case = _case()
    limits.update(ADMIN, limits.AttachmentLimits(file_mb=2, case_mb=3))
    big, _ = big_pdf(tmp_path, size=2 * MB + 1, name="大.pdf")
    with pytest.raises(ValidationError, match=r"大\.pdf 超过了单个附件 2 MB"):
        service.add(OPERATOR, case.id, big)
    first, _ = big_pdf(tmp_path, size=2 * MB, name="一.pdf")
    second, _ = big_pdf(tmp_path, size=2 * MB, name="二.pdf")
    kept = service.add(OPERATOR, case.id, first)
    with pytest.raises(ValidationError, match=r"二\.pdf.*3 MB 的上限"):
        service.add(OPERATOR, case.id, second)
    service.remove(LEAD, kept.id, "重复上传")  # tombstones take no room
    assert service.used_bytes(case.id) == 0
    service.add(OPERATOR, case.id, second)
    assert [a.name for a in service.list_for_case(case.id, OPERATOR)] == ["一.pdf", "二.pdf"]


def test_several_files_are_added_together_or_not_at_all(database, tmp_path: Path) -> None:
    case = _case()
    good = write(tmp_path, "照片.png", SAMPLES["png"])
    bad = write(tmp_path, "程序.pdf", ELF)
    with pytest.raises(ValidationError, match=r"程序\.pdf"):
        service.add_files(
            OPERATOR, case.id, [service.NewFile(good.name, good), service.NewFile(bad.name, bad)]
        )
    assert Attachment.select().count() == 0


def test_limits_are_validated_and_only_administrators_set_them(database) -> None:
    with pytest.raises(PermissionDenied):
        limits.update(LEAD, limits.AttachmentLimits(file_mb=5, case_mb=50))
    with pytest.raises(ValidationError) as caught:
        limits.update(ADMIN, limits.AttachmentLimits(file_mb=50, case_mb=10))
    assert caught.value.fields() == {"case_mb"}
    with pytest.raises(ValidationError):
        limits.update(ADMIN, limits.AttachmentLimits(file_mb=0, case_mb=10))
    assert limits.load() == limits.AttachmentLimits(20, 200)
    limits.update(ADMIN, limits.AttachmentLimits(file_mb=5, case_mb=50))
    assert limits.load() == limits.AttachmentLimits(5, 50)
    assert AuditEntry.select().where(AuditEntry.action == "attachment_limits.update").count() == 1


@pytest.mark.parametrize(
    ("actor", "may_add", "may_view", "may_remove"),
    [
        (OPERATOR, True, True, False),
        (LEAD, True, True, True),
        (MANAGER, False, True, True),
        (ADMIN, True, True, True),
    ],
    ids=["operator", "shift_lead", "manager", "admin"],
)
def test_rights_by_role(
    database, actor: Actor, may_add: bool, may_view: bool, may_remove: bool
) -> None:
    case = _case()
    existing = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "现场.png")

    def attempt(fn):  # type: ignore[no-untyped-def]
        try:
            fn()
        except PermissionDenied:
            return False
        return True

    assert (
        attempt(lambda: service.add(actor, case.id, io.BytesIO(SAMPLES["pdf"]), "a.pdf")) is may_add
    )
    assert attempt(lambda: _read(actor, existing.id)) is may_view
    assert attempt(lambda: service.remove(actor, existing.id, "误传")) is may_remove


def test_a_confidential_case_hides_its_documents_from_roles_without_the_right(database) -> None:
    case = _case(confidential=True)
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "张伟身份证.png")
    assert _read(OPERATOR, info.id) == SAMPLES["png"]
    listed = service.list_for_case(case.id, MANAGER)
    assert len(listed) == 1 and not listed[0].may_open
    assert "张伟" not in listed[0].name and listed[0].name.endswith("身份证.png")
    with pytest.raises(PermissionDenied, match="保密案件"):
        _read(MANAGER, info.id)
    attached = [r for r in load_case_window(case.id, MANAGER).events if r.action == "attach"]
    assert "张伟" not in attached[0].facts and "身份证.png" in attached[0].facts
    plain = _case()
    other = service.add(OPERATOR, plain.id, io.BytesIO(SAMPLES["png"]), "现场.png")
    assert _read(MANAGER, other.id) == SAMPLES["png"]


def test_removal_keeps_a_tombstone_with_the_hash_and_who_and_why(database) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "决定书.pdf")
    with pytest.raises(ValidationError, match="删除理由"):
        service.remove(LEAD, info.id, "  ")
    removed = service.remove(LEAD, info.id, "上传错了案件")
    assert removed.removed and removed.removed_by == "值班长乙"
    assert removed.removed_reason == "上传错了案件" and removed.sha256 == info.sha256
    assert AttachmentChunk.select().where(AttachmentChunk.attachment == info.id).count() == 0
    with pytest.raises(NotFound, match="已于"):
        _read(OPERATOR, info.id)
    assert [a.removed for a in service.list_for_case(case.id, OPERATOR)] == [True]
    assert service.list_for_case(case.id, OPERATOR, include_removed=False) == []


def test_adding_viewing_and_removing_are_audited_and_on_the_timeline(database, tmp_path) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "决定书.pdf")
    _read(OPERATOR, info.id)
    _read(OPERATOR, info.id)  # a second look soon after: audited, not on the timeline again
    service.save_as(OPERATOR, info.id, tmp_path / "saved.pdf")
    service.remove(LEAD, info.id, "重复")
    # (A server set up by ``server setup`` adds its own ``db.*`` entries of the rows.)
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert [a for a in actions if not a.startswith("db.")][-5:] == [
        "attachment.add",
        "attachment.view",
        "attachment.view",
        "attachment.view",
        "attachment.remove",
    ]
    entries = list(AuditEntry.select().where(AuditEntry.action.startswith("attachment.")))
    assert all(e.entity_id == case.case_no for e in entries)
    # Changes reload the case elsewhere; looks do not (a preview would set off another).
    assert {e.action: e.entity for e in entries} == {
        "attachment.add": "case",
        "attachment.view": "attachment",
        "attachment.remove": "case",
    }
    assert json.loads(entries[-1].detail)["sha256"] == info.sha256
    assert audit.verify().ok
    events = [e.action for e in timeline.events(case.id)]
    assert events == [
        "register",
        "attach",
        "attachment_view",
        "attachment_view",
        "attachment_remove",
    ]
    rows = load_case_window(case.id, OPERATOR).events
    worded = {row.action: row for row in rows}
    assert "决定书.pdf" in worded["attach"].facts and info.sha256[:12] in worded["attach"].facts
    assert worded["attachment_remove"].detail == "删除理由：重复"


def test_a_closed_case_takes_documents_only_from_shift_leads(database) -> None:
    case = _case(kind="consultation")
    from hotline import workflow

    workflow.answer_on_spot(OPERATOR, case.id, "已当场解答")
    with pytest.raises(PermissionDenied, match="值班长"):
        service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "补充.pdf")
    assert service.add(LEAD, case.id, io.BytesIO(SAMPLES["pdf"]), "补充.pdf").size > 0


def test_the_private_copy_is_owner_only_and_named_for_its_type(database) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "现场照片")
    copy = service.private_copy(OPERATOR, info.id)
    assert copy.name.endswith("现场照片.png") and copy.read_bytes() == SAMPLES["png"]
    assert copy.stat().st_mode & 0o777 == 0o600
    assert copy.parent.stat().st_mode & 0o777 == 0o700
    assert service.clear_private_copies() == 1 and not copy.exists()


def test_the_name_keeps_no_folders_and_no_control_characters(database) -> None:
    case = _case()
    info = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "../../etc/决定书.pdf")
    assert info.name == "决定书.pdf"
    with pytest.raises(ValidationError):
        service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "a\x00b.pdf")
    assert hashlib.sha256(_read(OPERATOR, info.id)).hexdigest() == info.sha256
    assert os.sep not in info.name


def test_files_given_at_registration_are_stored_with_the_case_or_not_at_all(
    database, tmp_path: Path
) -> None:
    photo = write(tmp_path, "现场.png", SAMPLES["png"])
    bad = write(tmp_path, "说明.pdf", ELF)
    with pytest.raises(ValidationError, match=r"说明\.pdf"):
        cases.register(
            OPERATOR,
            sample_case(),
            [service.NewFile(photo.name, photo), service.NewFile(bad.name, bad)],
        )
    assert Case.select().count() == 0 and Attachment.select().count() == 0
    case = cases.register(OPERATOR, sample_case(), [service.NewFile(photo.name, photo)])
    assert [a.name for a in service.list_for_case(case.id, OPERATOR)] == ["现场.png"]
    assert [e.action for e in timeline.events(case.id)] == ["register", "attach"]


def test_chunks_swapped_with_their_digests_are_detected(database) -> None:
    """Each chunk still matches its own SHA-256, but not its place: the hash list says so."""
    case = _case()
    data = b"%PDF-1.4\n" + bytes(range(256)) * 3000  # three chunks of different content
    info = service.add(OPERATOR, case.id, io.BytesIO(data), "a.pdf")
    first, second = (
        AttachmentChunk.get((AttachmentChunk.attachment == info.id) & (AttachmentChunk.seq == n))
        for n in (0, 1)
    )
    AttachmentChunk.update(seq=99).where(AttachmentChunk.id == first.id).execute()
    AttachmentChunk.update(seq=0).where(AttachmentChunk.id == second.id).execute()
    AttachmentChunk.update(seq=1).where(AttachmentChunk.id == first.id).execute()
    out = io.BytesIO()
    with pytest.raises(chunks.CorruptAttachment, match="不完整或校验不符"):
        service.write_to(OPERATOR, info.id, out)
    assert len(out.getvalue()) < len(data)  # the last chunk was never handed on


class _Growing(io.BytesIO):
    """A file that says it is small when asked and then reads on (it grew meanwhile)."""

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == os.SEEK_END:
            return super().seek(min(self.getbuffer().nbytes, 1024), 0)
        return super().seek(offset, whence)


def test_a_file_that_grows_past_the_limit_while_stored_is_stopped(database) -> None:
    case = _case()
    limits.update(ADMIN, limits.AttachmentLimits(file_mb=1, case_mb=10))
    growing = _Growing(b"%PDF-1.4\n" + b"x" * (2 * MB))
    with pytest.raises(ValidationError, match="1 MB"):
        service.add(OPERATOR, case.id, growing, "长.pdf")
    assert Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0


def test_a_department_works_with_its_own_cases_documents_only(database) -> None:
    """A department adds documents to a case dispatched to it (with its reply) and reads
    them; another department's case's documents are as if they did not exist."""
    from hotline import workflow

    own = department_person("市监科员", 1, 901)
    other = department_person("发改科员", 2, 902)
    add_people(own, other)
    case = _case()
    workflow.dispatch(OPERATOR, case.id, 1)
    added = service.add(own, case.id, io.BytesIO(SAMPLES["pdf"]), "答复函.pdf")
    assert _read(own, added.id) == SAMPLES["pdf"]
    assert [a.name for a in service.list_for_case(case.id, own)] == ["答复函.pdf"]
    with pytest.raises(NotFound):
        service.list_for_case(case.id, other)
    with pytest.raises(NotFound):
        _read(other, added.id)
    with pytest.raises(NotFound):
        service.add(other, case.id, io.BytesIO(SAMPLES["pdf"]), "冒充.pdf")
