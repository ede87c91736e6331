"""Types are judged by content: every accepted kind, refused ones named, text encodings."""

from __future__ import annotations

import io

import pytest

from hotline.attachments import content_types
from hotline.errors import ValidationError
from tests.hotline.attachments.files import ELF, GB18030_TEXT, SAMPLES, zip_bytes


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_accepted_type_is_recognised_whatever_its_name(code: str) -> None:
    handle = io.BytesIO(SAMPLES[code])
    assert content_types.sniff(handle, "随便起的名字.exe") == code
    assert handle.tell() == 0


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (ELF, "可执行程序（ELF）"),
        (b"MZ\x90\x00" + b"\x00" * 60, "Windows 可执行程序"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "旧版 Office 文件"),
        (zip_bytes({"a.txt": b"x"}), "ZIP 压缩包"),
        (b"PK\x03\x04broken", "损坏的 ZIP 文件"),
        (b"GIF89a" + b"\x00" * 10, "GIF 图片"),
        (bytes(range(256)), "无法识别的二进制文件"),
    ],
)
def test_refused_files_are_named_with_what_they_are(data: bytes, what: str) -> None:
    with pytest.raises(ValidationError) as caught:
        content_types.sniff(io.BytesIO(data), "合同.pdf")
    assert "合同.pdf" in caught.value.text and what in caught.value.text


def test_text_in_gb18030_or_utf8_passes_and_binary_after_the_head_does_not() -> None:
    for data in (GB18030_TEXT, SAMPLES["text"]):
        check = content_types.TextCheck("说明.txt")
        check.feed(data)
        check.finish()
    check = content_types.TextCheck("说明.txt")
    check.feed(b"plain words " * 1000)
    check.feed(b"\x00\x01\x02")
    with pytest.raises(ValidationError, match=r"说明\.txt"):
        check.finish()


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused() -> None:
    check = content_types.TextCheck("x.txt")
    check.feed(b"abc\x80\xff\xfe\x80")
    with pytest.raises(ValidationError, match="既不是 UTF-8 也不是 GB18030"):
        check.finish()


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="空的"):
        content_types.sniff(io.BytesIO(b""), "空.pdf")
