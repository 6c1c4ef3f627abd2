"""The ``craig`` command: parse arguments, call the library, print a summary.

Each subcommand lives in its own module with a ``register(subparsers)``
function that adds its parser and sets ``handler``. Registration imports
nothing heavy: handlers import what they need when they run.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from craig._errors import CraigError

_SUBCOMMAND_MODULES = (
    "craig._cli_select",
    "craig.datasets._cli",
    "craig._cli_demo",
    "craig.experiments._cli",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser of the ``craig`` command."""
    from craig import __version__

    parser = argparse.ArgumentParser(
        prog="craig",
        description="Select CRAIG coresets and train on them.",
    )
    parser.add_argument("--version", action="version", version=f"craig {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-vv: debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``craig`` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    _configure_logging(args.verbose)
    try:
        return int(args.handler(args) or 0)
    except (CraigError, ValueError, TypeError, OSError, MemoryError) as exc:
        print(f"craig {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"craig {args.command}: interrupted", file=sys.stderr)
        return 130


def _configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


if __name__ == "__main__":
    sys.exit(main())
