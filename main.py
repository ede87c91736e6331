"""Start the program: ``python main.py`` opens the desktop app; ``python main.py SUBCOMMAND``
runs the command line (see ``python main.py --help``)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

log = logging.getLogger("main")


def configure_logging() -> None:
    """One rotating log file in the user's log folder (phone numbers and hashes masked)."""
    from hotline import logsetup

    try:
        logsetup.configure()
    except OSError as exc:  # an unwritable log folder must not stop the program
        logging.basicConfig(level=logging.WARNING)
        log.warning("cannot write the log file: %s", exc)
    logging.captureWarnings(True)


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The packaged program is its own interpreter: a worker process it starts (search
        # index build, demo generator: hotline.worker_processes) runs this executable again,
        # and this turns that start into the worker instead of a second program.
        import multiprocessing

        multiprocessing.freeze_support()
    args_list = list(sys.argv[1:] if argv is None else argv)
    configure_logging()
    if not args_list:
        # The desktop app as it is usually started: no command-line parser to build.
        from ui.app import run

        return run(None, args_list)
    from hotline import cli

    try:
        args = cli.parse_args(args_list)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    if getattr(args, "read_db", None):
        from hotline import read_replica

        read_replica.configure(args.read_db)
    if args.command is None:
        # Only the desktop app loads Qt; subcommands never do.
        from ui.app import run

        return run(args.db, args_list)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
