"""Checks for the identifiers users type: credit codes and phone numbers.

Each check returns the normalised value or raises :class:`ValueError` with a translatable
message id; services collect those into one ValidationError with the field name
(:func:`normalized` does it for an optional field).
"""

from __future__ import annotations

from collections.abc import Callable

from hotline.errors import Problems
from hotline.i18n import N_

MSG_USCC_LENGTH = N_("统一社会信用代码应为18位")
MSG_USCC_CHARS = N_("统一社会信用代码含有不允许的字符")
MSG_USCC_CHECK = N_("统一社会信用代码校验位不正确，请核对")
MSG_PHONE = N_("电话号码无效：请填写11位手机号或带区号的固定电话（如 0392-1234567）")


def normalize_uscc(value: str) -> str:
    """The 18-character 统一社会信用代码, upper-case, its check digit verified."""
    # python-stdnum and phonenumbers are imported on first use: together 30-40 ms at
    # start-up that the main window's first paint does not need.
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import uscc as stdnum_uscc

    compact = stdnum_uscc.compact(value or "")
    try:
        return stdnum_uscc.validate(compact)
    except stdnum_errors.InvalidLength as exc:
        raise ValueError(MSG_USCC_LENGTH) from exc
    except stdnum_errors.InvalidFormat as exc:
        raise ValueError(MSG_USCC_CHARS) from exc
    except stdnum_errors.InvalidChecksum as exc:
        raise ValueError(MSG_USCC_CHECK) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValueError(MSG_USCC_CHARS) from exc


def is_valid_uscc(value: str) -> bool:
    try:
        normalize_uscc(value)
    except ValueError:
        return False
    return True


def normalize_phone(value: str) -> str:
    """A Chinese mobile (``13812345678``) or landline with area code (``0392-1234567``)."""
    import phonenumbers

    text = (value or "").strip()
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(MSG_PHONE) from exc
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValueError(MSG_PHONE)
    national = phonenumbers.national_significant_number(number)
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return national
    area = phonenumbers.length_of_geographical_area_code(number)
    if area:
        return f"0{national[:area]}-{national[area:]}"
    return national


def normalized(problems: Problems, field: str, text: str, normalize: Callable[[str], str]) -> str:
    """``normalize(text)`` for an optional field: empty text stays empty, and text the check
    refuses is kept as it is, with the problem recorded under ``field``."""
    if not text:
        return text
    try:
        return normalize(text)
    except ValueError as exc:
        problems.add(field, str(exc))
        return text
