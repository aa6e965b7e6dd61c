"""Country and area profiles on the real pins: which exist, what they hold, and the edge cases."""
from __future__ import annotations

import math

import pytest

from wmr.analysis import profiles as P
from wmr.errors import ConfigError
from wmr.sources import ims, m49, remittances, unhcr

P2026 = P.Params("undesa-ims-2024-bilateral", 2024, 2022, 2025, 2023, 2024, 2022)
P2024 = P.Params("undesa-ims-2020-bilateral", 2020, 2022, 2022, 2022, 2022, 2022)


def facts(prof: P.Profile) -> dict[str, P.FactSpec]:
    return {s.name: s for s in P.fact_specs(prof)}


@pytest.mark.parametrize("params", [P2024, P2026], ids=["wmr-2024", "wmr-2026"])
def test_profiles_are_the_destinations_of_the_editions_bilateral_source(params):
    codes = P.profile_codes(params.ims_source)
    bilateral = ims.load_bilateral(params.ims_source)
    assert codes == sorted(set(bilateral["dest_iso3"]))
    assert ims.UNKNOWN_ORIGIN not in codes
    assert {"VAT", "TUV", "TKL", "XCX", "DEU", "IND"} <= set(codes)


def test_taiwan_has_a_profile_only_where_un_desa_estimates_its_migrants():
    assert "TWN" in P.profile_codes(P2026.ims_source)
    assert "TWN" not in P.profile_codes(P2024.ims_source)   # the 2020 edition gives its population only
    with pytest.raises(ConfigError) as err:
        P.load("TWN", P2024)
    assert "TWN" in err.value.message() and "status" in err.value.message()


def test_stock_series_and_partners_match_the_bilateral_table():
    prof = P.load("DEU", P2026)
    b = ims.load_bilateral(P2026.ims_source)
    y = b[b["year"] == 2024]
    assert prof.last("immigrants") == y.loc[y["dest_iso3"] == "DEU", "migrants"].sum()
    assert prof.last("emigrants") == y.loc[y["origin_iso3"] == "DEU", "migrants"].sum()
    female = y.loc[(y["dest_iso3"] == "DEU") & (y["sex"] == "female"), "migrants"].sum()
    assert prof.last("female_share_pct") == pytest.approx(100 * female / prof.last("immigrants"))
    by_origin = y[(y["dest_iso3"] == "DEU") & (y["origin_iso3"] != "OOO")].groupby("origin_iso3")["migrants"].sum()
    assert list(prof.origins["iso3"]) == list(by_origin.sort_values(ascending=False).index[:5])
    assert list(prof.origins["rank"]) == [1, 2, 3, 4, 5]
    assert list(prof.stock["year"]) == sorted(int(v) for v in b["year"].unique())


def test_refugees_hosted_and_originating_come_from_unhcr():
    prof = P.load("DEU", P2026)
    pop = unhcr.load_population()
    pop = pop[pop["year"] == 2025]
    assert prof.value("hosted_refugees") == pop.loc[pop["coa_iso"] == "DEU", "refugees"].sum()
    assert prof.value("originating_asylum_seekers") == pop.loc[pop["coo_iso"] == "DEU", "asylum_seekers"].sum()


def test_holy_see_has_no_population_remittances_idps_or_hdi_and_says_so_without_zeros():
    prof = P.load("VAT", P2026)
    f = facts(prof)
    assert f["name"].value == "Holy See" and f["region"].value == "Europe"
    for missing in ("immigrant_share_pct", "received_usd", "sent_usd", "conflict_idps", "disaster_idps", "hdi",
                    "hosted_refugees"):
        assert missing not in f, missing
    notes = " ".join(prof.notes)
    for word in ("population", "remittance", "internal displacement", "Human Development Index", "UNHCR"):
        assert word in notes, word
    table = P.key_figures(P.fact_specs(prof)).set_index("Indicator")["Value"]
    assert table["Remittances received"] == "no data" and table["Human Development Index"] == "no data"
    assert not any(v in ("0", "0.0%", "US$0.0 million") for v in table)
    assert f["immigrants"].value > 0


def test_tuvalu_and_tokelau_tiny_places_get_what_their_sources_have():
    tuv, tkl = P.load("TUV", P2026), P.load("TKL", P2026)
    assert "immigrant_share_pct" in facts(tuv)              # UNDP gives Tuvalu a population
    assert "immigrant_share_pct" not in facts(tkl)          # but not Tokelau (a territory)
    assert facts(tuv)["received_usd"].value > 0
    assert any("remittance" in n for n in tkl.notes)
    assert facts(tkl)["region"].value == "Oceania" and facts(tkl)["subregion"].value == "Polynesia"


@pytest.mark.parametrize("code, region", [("XCX", "Europe"), ("TWN", "Asia")])
def test_places_outside_m49_are_where_un_desa_allocates_them_and_say_so(code, region):
    """Issue 12: the Channel Islands in Northern Europe, Taiwan Province of China in Eastern Asia."""
    prof = P.load(code, P2026)
    assert code not in m49.known_iso3()
    assert facts(prof)["region"].value == region
    assert any("UN DESA" in n and region in n for n in prof.notes)


def test_taiwan_and_channel_islands_names_are_un_desas():
    assert P.display_name("TWN") == "China, Taiwan Province of China"
    assert P.display_name("XCX") == "Channel Islands"


def test_a_name_that_differs_between_editions_is_shown_the_same_in_both():
    workbook = ims.load_destination_2020()
    name_2020 = workbook.loc[workbook["iso3"] == "GBR", "name"].iloc[0]
    a, b = P.load("GBR", P2024), P.load("GBR", P2026)
    assert a.name == b.name == P.display_name("GBR")
    assert name_2020 != a.name        # 'United Kingdom' in the 2020 workbook, the M49 name in the profiles


def test_remittances_follow_knomad_and_skip_zeros():
    prof = P.load("IND", P2026)
    inflows = remittances.load_knomad_inflows()
    row = inflows[(inflows["iso3"] == "IND") & (inflows["year"] == 2022)]
    assert prof.value("received_usd") == row["usd"].iloc[0]
    zeros = inflows[(inflows["kind"] == "country") & (inflows["year"] == 2022) & (inflows["usd"] == 0)]
    codes = set(P.profile_codes(P2026.ims_source))
    zero_code = next(c for c in zeros["iso3"] if c in codes)
    assert "received_usd" not in facts(P.load(zero_code, P2026))


def test_immigrant_share_uses_the_one_denominator():
    prof = P.load("DEU", P2026)
    pop = P.denominator(P2026.ims_source, 2024).set_index("iso3").loc["DEU"]
    assert facts(prof)["immigrant_share_pct"].value == pytest.approx(100 * prof.last("immigrants") / pop["population"])
    assert P.denominator_source(P2024.ims_source) == ims.SOURCE_2020


def test_every_profile_of_both_editions_builds_its_facts_without_a_crash():
    for params in (P2024, P2026):
        for code in P.profile_codes(params.ims_source):
            specs = P.fact_specs(P.load(code, params))
            for s in specs:
                assert not (isinstance(s.value, float) and math.isnan(s.value)), (code, s.name)
            assert {"name", "region", "immigrants", "narrative"} <= {s.name for s in specs}


def test_narrative_is_built_from_the_profile_figures():
    prof = P.load("IND", P2026)
    text = P.narrative(prof)
    assert "India" in text and P.people(prof.last("immigrants")) in text
    assert prof.origins.iloc[0]["country"] in text and "more emigrants than immigrants" in text
