"""Layered configs and short schema errors.

The config a run sees is config/defaults.yaml (what is not study-specific) deep-merged with the
study config and the override files given after it (``--configfile study.yaml my.yaml``), then
validated against the schema with its defaults filled in (as ``snakemake.utils.validate`` does).
A schema failure is one ``ConfigError`` naming the file, the key path, the bad value and the
closest valid key, instead of Snakemake's dump of the whole config.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators

from lucarbon.config.checks import ConfigError

DEFAULTS = Path("config") / "defaults.yaml"
SCHEMA = Path("workflow") / "schemas" / "config.schema.yaml"


def deep_merge(base: dict, override: dict) -> dict:
    """``base`` with ``override`` merged on top: mappings key by key, anything else replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def read_yaml(path: str | Path) -> dict:
    """A YAML mapping (an empty file is an empty mapping)."""
    loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: a config file must be a mapping of keys, not {loaded!r}")
    return loaded


def layered_config(config: dict, defaults: str | Path) -> dict:
    """``config`` (the study and its overrides, merged by Snakemake) over the defaults file."""
    return deep_merge(read_yaml(defaults), config)


def _default_filling(validator_class):
    """A validator that fills in each property's ``default`` (the jsonschema FAQ recipe that
    snakemake.utils.validate uses), so rules see every key."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema:
                    instance.setdefault(name, copy.deepcopy(subschema["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return validators.extend(validator_class, {"properties": set_defaults})


def validate_config(config: dict, schema: str | Path, files: list[str | Path]) -> dict:
    """Check ``config`` against ``schema`` in place (defaults filled in); raise one short
    ``ConfigError`` for the first failure. ``files`` are the config files merged into it."""
    schema_doc = read_yaml(schema)
    errors = list(_default_filling(Draft202012Validator)(schema_doc).iter_errors(config))
    if not errors:
        return config
    # A missing top-level key first (an override file given without its study config), then
    # unknown keys (they come with a suggestion), then the shallowest path.
    errors.sort(key=lambda e: (_rank(e), len(e.absolute_path)))
    message = _describe(errors[0], files)
    if len(errors) > 1:
        message += f" ({len(errors) - 1} more schema error(s) after fixing this one)"
    raise ConfigError(message)


def _rank(error) -> int:
    if error.validator == "required" and not error.absolute_path:
        return 0
    return 1 if error.validator == "additionalProperties" else 2


def _key_path(path) -> str:
    """``figures.language``, ``years[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(path: list, files: list[str | Path]) -> str:
    """The last config file holding ``path`` (its value wins the merge), or all of them."""
    holding = []
    for name in files:
        try:
            node = read_yaml(name)
        except (OSError, yaml.YAMLError, ConfigError):
            continue
        for part in path:
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if not (in_list or (isinstance(node, dict) and part in node)):
                break
            node = node[part]
        else:
            holding.append(str(name))
    return holding[-1] if holding else ", ".join(str(name) for name in files)


def _describe(error, files: list[str | Path]) -> str:
    """One line: file(s), key path, value, what is wrong, the closest valid key."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        key = unknown[0]
        where = _where([*path, key], files)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "no valid key is close to it."
        level = f"under {_key_path(path)}" if path else "at the top level"
        return (
            f"{where}: {_key_path([*path, key])}: unknown key (value "
            f"{_short(error.instance[key])}); {hint} Keys allowed {level}: {', '.join(allowed)}."
        )
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        message = f"{', '.join(map(str, files))}: {_key_path([*path, missing[0]])}: required key"
        if path:
            return message + " missing."
        return message + (
            " missing. A --configfile replaces config.yaml: give the study config first, then"
            " the overrides, e.g. --configfile config.yaml my.yaml."
        )
    return (
        f"{_where(path, files)}: {_key_path(path)}: value {_short(error.instance)} is invalid: "
        f"{_short_message(error)}"
    )


def _short_message(error) -> str:
    """jsonschema's message without a repeat of a long instance."""
    if error.validator == "enum":
        return f"must be one of {', '.join(map(repr, error.validator_value))}."
    if error.validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return f"must be of type {' or '.join(names)}."
    message = error.message
    return message if len(message) <= 160 else message[:157] + "..."
