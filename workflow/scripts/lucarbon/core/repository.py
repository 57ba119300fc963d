"""The repository's own files when Snakemake runs in another directory.

Relative paths in a config are relative to the directory Snakemake runs in. The shipped tables
(config/defaults.yaml, the schema's defaults) and the demo study (config.yaml) name files of
this repository that way, which holds only when Snakemake runs in the repository root. Run from
elsewhere (as a module of another workflow, or ``snakemake -s path/to/Snakefile``), a relative
path that names no file there but a file of the repository becomes that file's absolute path;
a path naming a file of the working directory is the user's and stays as written. In the
repository root nothing changes.
"""

from __future__ import annotations

from pathlib import Path


def repository_path(path: str, root: Path) -> str:
    """``path`` as written, or the absolute path of the repository's file ``root / path`` when
    ``path`` names no file in the working directory but that file exists."""
    candidate = Path(path)
    try:
        if candidate.is_absolute() or candidate.exists() or not (root / candidate).is_file():
            return path
    except OSError:  # a string that cannot be a file name (too long) is no path
        return path
    return str(root / candidate)


def repository_paths(node, root: Path):
    """A copy of the config ``node`` with every string passed through ``repository_path``."""
    if isinstance(node, dict):
        return {key: repository_paths(value, root) for key, value in node.items()}
    if isinstance(node, list):
        return [repository_paths(value, root) for value in node]
    if isinstance(node, str):
        return repository_path(node, root)
    return node
