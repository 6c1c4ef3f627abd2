"""``craig datasets``: the known datasets, their sizes and where they are."""

from __future__ import annotations

import os


def register(subparsers) -> None:
    """Add the ``datasets`` subcommand to the ``craig`` parser."""
    parser = subparsers.add_parser(
        "datasets",
        help="list the known datasets and where they are looked for",
        description=(
            "List the named datasets of craig.datasets.load, their sizes, and "
            "whether their files are found in the data folders."
        ),
    )
    parser.add_argument(
        "--data-home",
        metavar="FOLDER",
        default=None,
        help="a data folder to look at first (as load(..., data_home=FOLDER))",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    """Print the data folders in lookup order, then one line per dataset."""
    print(format_listing(args.data_home))
    return 0


def format_listing(data_home=None) -> str:
    """The text that ``craig datasets`` prints."""
    from craig.datasets._download import data_folders, download_folder
    from craig.datasets._registry import REGISTRY

    lines = ["Data folders, in lookup order:"]
    for rank, folder in enumerate(data_folders(data_home), start=1):
        lines.append(f"  {rank}. {folder}{_origin(folder, data_home)}")
    lines.append(f"Downloads go to {download_folder(data_home)}.")
    lines.append("Sizes are those of the upstream files.")
    lines.append("")
    header = f"{'name':<14} {'train':>9} {'test':>8} {'features':>8}  found"
    lines += [header, "-" * len(header)]
    for info in REGISTRY.values():
        test = f"{info.n_test:,}" if info.n_test else "-"
        lines.append(
            f"{info.name:<14} {info.n_train:>9,} {test:>8} {info.n_features:>8,}"
            f"  {_where(info, data_home)}"
        )
    return "\n".join(lines)


def _origin(folder, data_home) -> str:
    from pathlib import Path

    from craig.datasets._download import DEFAULT_HOME

    if data_home is not None and folder == Path(data_home).expanduser():
        return "  (--data-home)"
    if folder == DEFAULT_HOME.expanduser():
        return "  (default)"
    if folder == Path(os.environ.get("CRAIG_DATA", "")).expanduser():
        return "  ($CRAIG_DATA)"
    return ""


def _where(info, data_home) -> str:
    from craig.datasets._download import find_file

    found = {file.name: find_file(info, file, data_home) for file in info.files}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        return f"missing: {', '.join(missing)}"
    return f"yes, in {next(iter(found.values())).parent}"
