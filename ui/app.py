"""Starting the desktop app: database, first run, sign-in, then the main window.

``main.py`` configures logging and calls :func:`run`. Every problem a user can meet on the
way (a file that is not our database, a newer schema, a wrong password) is shown as a
translated message, never as a traceback.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from hotline import __version__, auth, db, i18n, paths
from hotline.errors import DatabaseRefused
from hotline.i18n import _
from ui.common import gui_gc
from ui.common.first_paint import after_first_paint
from ui.common.qt_texts import install_qt_translations
from ui.common.session import Session
from ui.common.settings import AppSettings
from ui.common.tasks import wait_for_tasks
from ui.common.theme import apply_theme

if TYPE_CHECKING:
    from ui.start.user_switch import UserSwitch

log = logging.getLogger(__name__)

PREPARE_INTAKE_MS = 1500


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication, in the language of the settings (or ``HOTLINE_LANG``)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(paths.DESKTOP_ID)
    app.setWindowIcon(QIcon(str(paths.ICON)))
    gui_gc.install(app)
    language = os.environ.get("HOTLINE_LANG") or AppSettings().language
    i18n.set_locale(language)
    install_qt_translations(app, i18n.current_locale())
    apply_theme(app)
    return app


def open_database(target: str) -> bool:
    """Open (and upgrade) the database; on failure tell the user why and return False.

    A server where each person signs in as their own login role refuses the URL's own login:
    nothing is opened then, the sign-in dialog opens it as the person
    (:func:`personal_sign_in`)."""
    try:
        db.open_database(target)
    except db.PersonalSignInNeeded as exc:
        log.info("the server wants each person's own sign-in (%s)", exc.text)
        return True
    except DatabaseRefused as exc:
        log.error("database refused: %s", exc.text)
        QMessageBox.critical(None, _("无法打开数据库"), exc.text)
        return False
    except Exception as exc:  # disk full, permissions, server down: say so, log the rest
        log.exception("could not open the database %s", db.describe(target))
        QMessageBox.critical(
            None,
            _("无法打开数据库"),
            _("无法打开数据库 {target}：{reason}").format(
                target=db.describe(target), reason=str(exc)
            ),
        )
        return False
    return True


def first_run(target: str) -> auth.SignedInUser | None:
    """On an empty database: create the administrator (and demo data) and return them, signed
    in (they have just typed their password); None when the user quit instead."""
    from ui.start.demo_loader import load_demo_data
    from ui.start.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog(db.describe(target))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.admin is None:
        return None
    settings = AppSettings()
    settings.last_username = dialog.admin.username
    settings.sync()
    if dialog.demo_count:
        load_demo_data(None, dialog.demo_count, actor=auth.actor_for(dialog.admin))
    return dialog.admin


def personal_sign_in(target: str) -> bool:
    """Whether each person signs in to ``target`` as their own login role (a server set up
    with ``server setup`` or ``server convert``): its URL's own login was refused, or it is
    such a server (an owner's or a superuser's URL never becomes a person's session)."""
    bound = db.bound()
    return db.is_url(target) and (bound is None or bound.is_closed() or db.per_person())


def start_session(target: str) -> Session | None:
    """The signed-in session: the sign-in dialog, or on an empty database the first
    administrator, created and signed in at once. None: the user quit."""
    if personal_sign_in(target):
        return sign_in(target, server=True)
    if auth.has_users():
        return sign_in(target)
    admin = first_run(target)
    if admin is None:
        return None
    from hotline import holders

    holders.set_user(admin.username)
    log.info("first administrator %s created and signed in", admin.username)
    return Session(admin, target)


def sign_in(target: str, *, switching: bool = False, server: bool = False) -> Session | None:
    """The sign-in dialog; ``switching``: after a sign-out, the next user types their own name
    over the last one (selected), instead of the last user's password being asked for.
    ``server``: each person signs in to the server as their own login role."""
    from ui.start.login_dialog import LoginDialog

    dialog = LoginDialog(db.describe(target), server=target if server else None)
    if switching:
        dialog.username.selectAll()
        dialog.username.setFocus()
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    from hotline import holders

    holders.set_user(dialog.user.username)  # named if a restore is tried meanwhile
    return Session(dialog.user, target)


def show_main_window(session: Session):  # type: ignore[no-untyped-def]
    from ui.main_window.window import MainWindow
    from ui.start.auto_backup import AutoBackup
    from ui.start.idle_lock import IdleLock

    window = MainWindow(session)
    window.idle_lock = IdleLock(window, session, AppSettings().idle_lock_minutes)
    window.idle_lock.choose(AppSettings().idle_lock_minutes)  # capped by the centre's policy
    window.auto_backup = AutoBackup(window, AppSettings().backups_kept)
    window.show()
    QTimer.singleShot(0, lambda: take_focus(window))
    # The intake form is made ahead while the operator looks at the list: the first call's
    # screen pop then only shows it.
    prepare = QTimer(window, singleShot=True, interval=PREPARE_INTAKE_MS)  # goes with it
    prepare.timeout.connect(window.menu_actions.prepare_intake)
    prepare.start()
    # Not while the operator scrolls or types a search: making the form holds the window a
    # moment, which they would feel then; it waits until they have paused.
    window.table.verticalScrollBar().valueChanged.connect(lambda _value: prepare.start())
    window.search_box.textChanged.connect(lambda _text: prepare.start())
    # A registration a crash left unsaved is offered at once, as soon as the window is up.
    after_first_paint(window.table.viewport(), lambda: _offer_drafts(window))
    # What is loaded by then lives as long as the program: keep it out of the garbage
    # collector's full passes, which would otherwise pause scrolling now and then.
    QTimer.singleShot(1000, _freeze_long_lived_objects)
    return window


def _offer_drafts(window) -> None:  # type: ignore[no-untyped-def]
    from ui.intake.draft import offer_drafts_at_start

    offer_drafts_at_start(window)


def take_focus(window: QWidget) -> None:
    """The main window takes the keyboard itself once it is shown after the sign-in (no click
    needed before Ctrl+N works)."""
    window.raise_()
    window.activateWindow()
    focus_list = getattr(window, "focus_list", None)
    if callable(focus_list):
        focus_list()


def start_call_router(switch: UserSwitch):  # type: ignore[no-untyped-def]
    """Listen for incoming calls for whoever is signed in (ui/calls)."""
    from ui.calls.router import CallRouter

    router = CallRouter(lambda: switch.window, switch)
    router.start()
    switch.window_shown.connect(lambda _window: router.reload_policy())
    switch.signed_out.connect(lambda _session: router.http.stop())
    return router


def _freeze_long_lived_objects() -> None:
    gc.collect()
    gc.freeze()


def run(db_target: str | None, argv: Sequence[str]) -> int:
    """The whole desktop session; returns the process exit code."""
    app = create_application(argv)
    _clear_private_copies()  # what a crash left behind
    target = db.resolve_target(db_target)
    log.info("desktop app starting on %s", db.describe(target))
    if not open_database(target):
        return 1
    try:
        server = personal_sign_in(target)
        session = start_session(target)
        if session is None:
            return 0
        from ui.start.user_switch import UserSwitch

        # Signing out returns to the sign-in (the next user types their own name), without
        # quitting.
        switch = UserSwitch(
            target,
            sign_in=lambda again: sign_in(again, switching=True, server=server),
            show_window=show_main_window,
        )
        router = start_call_router(switch)
        switch.show(session)
        code = app.exec()
        router.stop()
        del switch
        return code
    finally:
        wait_for_tasks(10_000)
        db.close()
        _clear_private_copies()


def _clear_private_copies() -> None:
    """The temporary copies of attachments opened in the system viewer or previewed: they may
    hold a confidential caller's documents, so none outlives the session (a viewer that still
    has one open keeps its own copy where the system allows; elsewhere it stays until next
    time)."""
    from hotline.attachments import temp_copies

    removed = temp_copies.clear()
    if removed:
        log.info("removed %s temporary attachment copies", removed)
