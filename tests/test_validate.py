import pandas as pd
import pytest

from wmr.core.errors import ValidationError
from wmr.kernel.sources import m49
from wmr.kernel.validate import check_codes, check_columns, check_unique, require_documented_codes


def test_undocumented_codes_stop_the_load_and_documented_ones_are_kept():
    require_documented_codes(["FRA", "TWN"], "t", m49.known_iso3(), frozenset({"TWN"}), "wmr/kernel/sources/x.py")
    with pytest.raises(ValidationError) as exc:
        require_documented_codes(["FRA", "QQQ"], "t", m49.known_iso3(), frozenset({"TWN"}), "wmr/kernel/sources/x.py")
    assert exc.value.got == ["QQQ"] and "wmr/kernel/sources/x.py" in exc.value.fix


def test_malformed_codes_are_rejected():
    with pytest.raises(ValidationError, match="malformed"):
        check_codes(["fr"], "t", {"FRA"})


def test_column_types_and_keys():
    df = pd.DataFrame({"iso3": ["FRA", "FRA"], "year": [2020, 2020]})
    check_columns(df, "t", {"iso3": "str", "year": "int"})
    with pytest.raises(ValidationError, match="wrong type"):
        check_columns(df.astype({"year": float}), "t", {"year": "int"})
    with pytest.raises(ValidationError, match="duplicate keys"):
        check_unique(df, "t", ["iso3", "year"])
