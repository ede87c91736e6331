"""An enterprise's names over time: renaming it keeps the name it had as a former name
(曾用名) with the dates it was in use. Used by the intake (a name corrected when a credit code
on file comes with another name) and by the enterprise directory.
"""

from __future__ import annotations

import datetime as dt

from peewee import fn

from hotline import audit, clock
from hotline.errors import ValidationError
from hotline.i18n import N_
from hotline.models import Enterprise, EnterpriseFormerName
from hotline.permissions import Actor
from hotline.search import index


def rename_in_transaction(
    actor: Actor,
    enterprise: Enterprise,
    new_name: str,
    *,
    reason: str = "",
    via: str,
    changed_on: dt.date | None = None,
) -> None:
    """Inside a write transaction: give ``enterprise`` its new name, keep the old one."""
    if enterprise.name == new_name:
        raise ValidationError.single("name", N_("新名称与现名称相同"))
    today = clock.today()
    changed_on = changed_on or today
    since = in_use_since(enterprise)
    if changed_on > today:
        raise ValidationError.single("changed_on", N_("更名日期不能晚于今天"))
    if since is not None and changed_on < since:
        raise ValidationError.single(
            "changed_on",
            N_("更名日期不能早于原名称开始使用的日期 {date}"),
            date=since.isoformat(),
        )
    add_former_name(actor, enterprise.id, enterprise.name, since, changed_on, reason)
    Enterprise.update(name=new_name, updated_at=clock.now()).where(
        Enterprise.id == enterprise.id
    ).execute()
    index.index_enterprise(
        enterprise.id, new_name, enterprise.uscc, old=(enterprise.name, enterprise.uscc)
    )
    audit.record(
        actor,
        "enterprise.rename",
        "enterprise",
        enterprise.id,
        {
            "before": enterprise.name,
            "after": new_name,
            "changed_on": changed_on.isoformat(),
            "reason": reason,
            "via": via,
        },
    )


def in_use_since(enterprise: Enterprise) -> dt.date | None:
    """Since when the enterprise's present name is used: its last renaming, if any."""
    last = (
        EnterpriseFormerName.select(fn.MAX(EnterpriseFormerName.valid_to))
        .where(EnterpriseFormerName.enterprise == enterprise.id)
        .scalar()
    )
    if last is None:
        return None
    return last if isinstance(last, dt.date) else dt.date.fromisoformat(str(last)[:10])


def add_former_name(
    actor: Actor,
    enterprise_id: int,
    name: str,
    since: dt.date | None,
    until: dt.date,
    reason: str,
) -> None:
    EnterpriseFormerName.create(
        enterprise=enterprise_id,
        name=name,
        valid_from=since,
        valid_to=until,
        recorded_at=clock.now(),
        recorded_by=actor.name[:60],
        reason=reason,
    )
