"""Where a ringing call goes: the signed-in user's main window, which shows it in an intake
form. The router lives as long as the program (across sign-outs) and owns the listeners; the
HTTP one follows the administrator's setting, read at each sign-in and when settings change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hotline import call_listener_policy
from hotline.call_listener_policy import CallListenerPolicy
from hotline.calls import IncomingCall
from hotline.errors import HotlineError
from hotline.i18n import N_
from ui.calls.listener import HttpCallListener, LocalCallListener
from ui.common.events import app_events
from ui.common.tasks import run_task

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

log = logging.getLogger(__name__)

MSG_NOBODY = N_("热线工作台已运行，但还没有人登录，来电未能弹屏。")
MSG_LOCKED = N_("工作站已锁定，请先解锁；来电未能弹屏。")


class CallRouter(QObject):
    shown = Signal(object, str)  # the IncomingCall, and how it was shown ("form", "banner")
    policy_applied = Signal(object)  # the CallListenerPolicy now in force

    def __init__(
        self, current_window: Callable[[], MainWindow | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.current_window = current_window
        self.local = LocalCallListener(self.handle, self)
        self.http = HttpCallListener(self.handle, self)
        self._following = False

    def start(self, address: str | None = None) -> bool:
        """Listen on this user's local socket (or ``address``) and follow the administrator's
        HTTP setting from now on."""
        if not self._following:
            app_events().settings_changed.connect(self.reload_policy)
            self._following = True
        return self.local.start(address)

    def stop(self) -> None:
        """Close both listeners and stop following settings: a stopped router never starts
        listening again behind the back of the one that replaced it."""
        if self._following:
            app_events().settings_changed.disconnect(self.reload_policy)
            self._following = False
        self.local.stop()
        self.http.stop()

    def handle(self, call: IncomingCall) -> str:
        window = self.current_window()
        if window is None:
            raise HotlineError(MSG_NOBODY)
        lock = getattr(window, "idle_lock", None)
        if lock is not None and lock.is_locked:
            raise HotlineError(MSG_LOCKED)
        shown = window.menu_actions.incoming_call(call)
        log.info("incoming call shown (%s)", shown)
        self.shown.emit(call, shown)
        return shown

    def reload_policy(self) -> None:
        """Read the administrator's HTTP setting (off the GUI thread) and follow it."""
        if self.current_window() is None:
            return
        run_task(
            self,
            call_listener_policy.load,
            on_done=self.apply_policy,
            on_error=lambda exc: log.warning("call listener setting: %s", exc),
        )

    def apply_policy(self, policy: CallListenerPolicy) -> None:
        if not policy.enabled:
            self.http.stop()
        elif self.http.port() != policy.port or self.http.token != policy.token:
            self.http.start(policy.port, policy.token)
        self.policy_applied.emit(policy)
