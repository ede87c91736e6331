"""The command line: ``python main.py SUBCOMMAND …`` (PRODUCT.md section 6).

Each subcommand lives in a module of :mod:`hotline.cli.commands` that has a
``register(subparsers, common)`` function; adding a subcommand is adding its module to
``COMMAND_MODULES``. Keep those modules light at import time (import heavy libraries inside
the handler): every module is imported to build the parser.

Exit codes: 0 success, 1 invalid input or a refused operation (with the reasons), 2 usage
errors (argparse).
"""

from __future__ import annotations

COMMAND_MODULES: list[str] = [
    "hotline.cli.commands.setup",
    "hotline.cli.commands.intake",
    "hotline.cli.commands.demo",
    "hotline.cli.commands.search",
    "hotline.cli.commands.transfer",
    "hotline.cli.commands.audit",
    "hotline.cli.commands.backup",
    "hotline.cli.commands.report",
    "hotline.cli.commands.exemption",
    "hotline.cli.commands.migrate_to",
    "hotline.cli.commands.server",
]

from hotline.cli.runner import build_parser, main, parse_args, run  # noqa: E402

__all__ = ["COMMAND_MODULES", "build_parser", "main", "parse_args", "run"]
