"""The command line: ``python main.py SUBCOMMAND …`` (PRODUCT.md section 6).

Each subcommand lives in a module of :mod:`hotline.cli.commands` that has a
``register(subparsers, common)`` function; adding a subcommand is adding its module to
``COMMANDS`` in :mod:`hotline.cli.runner`. Keep those modules light at import time (import
heavy libraries inside the handler): every module is imported to build the parser.

Exit codes: 0 success, 1 invalid input or a refused operation (with the reasons), 2 usage
errors (argparse).
"""

from __future__ import annotations

from hotline.cli.runner import build_parser, main, parse_args, run

__all__ = ["build_parser", "main", "parse_args", "run"]
