"""The log file never holds a full phone number or a password hash."""

from __future__ import annotations

import logging
from pathlib import Path

from hotline import logsetup


def test_phone_numbers_and_hashes_are_masked(tmp_path: Path) -> None:
    target = logsetup.configure(directory=tmp_path)
    log = logging.getLogger("hotline.test")
    log.info("caller %s rang from %s", "13812345678", "0392-3312345")
    log.warning("hash was $argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
    try:
        raise ValueError("bad number 13912345678")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = target.read_text(encoding="utf-8")
    assert "138****5678" in text and "0392-****2345" in text
    for secret in ("13812345678", "3312345", "c2FsdA", "13912345678"):
        assert secret not in text
    logging.getLogger().handlers[:] = [
        h for h in logging.getLogger().handlers if not getattr(h, "_hotline", False)
    ]
