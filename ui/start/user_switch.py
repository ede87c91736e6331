"""Signing out and switching user without quitting (the shift change at a shared desk).

The main window closes with every window it opened: the intake form keeps what was typed as
a draft (offered when that user next opens it, as after a crash), and a form that would lose
its text (the handover note being written) is named in a question first. The sign-out is
audited, the sign-in dialog comes back, and the next user gets a fresh main window; closing
the sign-in dialog quits the program.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from hotline import auth
from hotline.i18n import _
from ui.common.session import Session
from ui.common.tasks import run_task

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

log = logging.getLogger(__name__)


def unsaved_work(window: MainWindow) -> list[str]:
    """What the windows of ``window`` hold unsaved, one translated line each."""
    lines = []
    for other in window.menu_actions.open_windows.values():
        name = type(other).__name__
        if name == "IntakeWindow" and not other.fields.is_blank():  # type: ignore[attr-defined]
            lines.append(_("正在填写的登记表单：将保存为草稿，您下次登录后可恢复"))
        elif name == "HandoverDialog":
            editor = other.findChild(QPlainTextEdit)
            if editor is not None and editor.toPlainText().strip():
                lines.append(_("尚未保存的交接记录：注销后将丢失"))
    return lines


class UserSwitch(QObject):
    """Owns the main window of whoever is signed in; lives as long as the program."""

    window_shown = Signal(object)  # the new MainWindow
    signed_out = Signal(object)  # the Session that ended

    def __init__(
        self,
        target: str,
        *,
        sign_in: Callable[[str], Session | None],
        show_window: Callable[[Session], MainWindow],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.window: MainWindow | None = None
        self._sign_in = sign_in
        self._show_window = show_window

    def show(self, session: Session) -> MainWindow:
        window = self._show_window(session)
        window.user_switch = self
        window.actions_by_name["signOut"].setEnabled(True)
        self.window = window
        self.window_shown.emit(window)
        return window

    def sign_out(self, *, ask: bool = True, reason: str = "user") -> bool:
        """Close the user's windows and ask the next user to sign in. False: the user kept
        working (they answered No, or a window would not close). ``ask=False``: from the lock
        screen, where the user is away (their intake is kept as a draft all the same)."""
        window = self.window
        if window is None:
            return False
        unsaved = unsaved_work(window) if ask else []
        if unsaved:
            answer = QMessageBox.question(
                window,
                _("注销并切换用户？"),
                _("以下内容尚未保存：\n{items}\n\n确定要注销吗？").format(
                    items="\n".join(f"· {line}" for line in unsaved)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        app = QApplication.instance()
        quit_on_close = isinstance(app, QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # no window is left for a moment
        if not window.close():
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quit_on_close)
            return False
        session = window.session
        self.window = None
        window.deleteLater()
        log.info("%s signs out", session.user.username)

        def after(_result: object = None) -> None:
            self.signed_out.emit(session)
            QTimer.singleShot(0, lambda: self._next_user(quit_on_close))

        def failed(exc: BaseException) -> None:  # the sign-out stands; the log says why
            log.error("could not record the sign-out of %s: %s", session.user.username, exc)
            after()

        run_task(self, lambda: auth.sign_out(session.user, reason), after, failed)
        return True

    def _next_user(self, quit_on_close: bool) -> None:
        session = self._sign_in(self.target)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(quit_on_close)
        if session is None:  # nobody signs in: the program ends, as after the first sign-in
            if isinstance(app, QApplication):
                app.quit()
            return
        self.show(session)
