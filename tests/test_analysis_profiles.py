"""Country and area profiles on the real pins: which exist, what they hold, and the edge cases."""
from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pytest

from wmr.build import editions
from wmr.core.errors import ConfigError
from wmr.kernel import countries, pins
from wmr.kernel.analysis import displacement, migrants
from wmr.kernel.analysis import profiles as P
from wmr.kernel.analysis import remittances as chapter_remittances
from wmr.kernel.analysis.wording import facts_cited, plain_text
from wmr.kernel.sources import countrynames, ims, m49, remittances, unhcr

FIELDS = ("ims_source", "stock_year", "remittance_year", "refugee_year", "idp_year", "displacement_year", "hdi_year")


def edition_params(edition: str) -> P.Params:
    """The profile parameters the edition config gives (what the build passes the profile notebook)."""
    e = editions.load(edition)
    params = {**e.parameters, **(e.profiles.parameters if e.profiles else {})}
    return P.Params(*(params[f] for f in FIELDS))


P2026 = edition_params("wmr-2026")
P2024 = edition_params("wmr-2024")


def facts(prof: P.Profile) -> dict[str, SimpleNamespace]:
    """The profile's fact specs by name, their keys as attributes (f["immigrants"].value)."""
    return {s["name"]: SimpleNamespace(**s) for s in P.fact_specs(prof)}


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


def test_holy_see_has_no_remittances_idps_or_hdi_and_says_so_without_zeros():
    prof = P.load("VAT", P2026)
    f = facts(prof)
    assert f["name"].value == "Holy See" and f["region"].value == "Europe"
    shares = migrants.country_shares(P2026.ims_source, 2024).set_index("iso3")
    assert f["immigrant_share_pct"].value == pytest.approx(shares.loc["VAT", "share_pct"])  # UN DESA's own population
    for missing in ("received_usd", "sent_usd", "conflict_idps", "disaster_idps", "hdi", "hosted_refugees"):
        assert missing not in f, missing
    notes = " ".join(prof.notes)
    for word in ("remittance", "internal displacement", "Human Development Index", "UNHCR"):
        assert word in notes, word
    table = P.key_figures(P.fact_specs(prof)).set_index("Indicator")["Value"]
    assert table["Remittances received"] == "no data" and table["Human Development Index"] == "no data"
    assert not any(v in ("0", "0.0%", "US$0.0 million") for v in table)
    assert f["immigrants"].value > 0


def test_tuvalu_and_tokelau_tiny_places_get_what_their_sources_have():
    tuv, tkl = P.load("TUV", P2026), P.load("TKL", P2026)
    with_population = set(migrants.country_shares(P2026.ims_source, 2024)["iso3"])
    for prof in (tuv, tkl):
        assert ("immigrant_share_pct" in facts(prof)) == (prof.iso3 in with_population)
        if prof.iso3 not in with_population:
            assert any("population" in n for n in prof.notes)
    assert facts(tuv)["received_usd"].value > 0
    assert any("remittance" in n for n in tkl.notes)
    assert facts(tkl)["region"].value == "Oceania" and facts(tkl)["subregion"].value == "Polynesia"


@pytest.mark.parametrize("code, region", [("XCX", "Europe"), ("TWN", "Asia")])
def test_places_outside_m49_are_where_un_desa_allocates_them_and_say_so(code, region):
    """Issue 12: the Channel Islands in Northern Europe, Taiwan Province of China in Eastern Asia."""
    prof = P.load(code, P2026)
    assert code not in m49.known_iso3()
    assert facts(prof)["region"].value == region
    assert any("UN DESA" in n and "counted in {fact}`region`" in n for n in prof.notes)


def test_the_editions_use_the_newest_remittance_and_idp_years_of_issue_12():
    assert (P2026.remittance_year, P2026.idp_year) == (2023, 2024)
    assert (P2024.remittance_year, P2024.idp_year) == (2022, 2022)


def test_names_come_from_the_one_naming_table():
    iom = countrynames.load_iom_names().set_index("iso3")["name"]
    ocha = countrynames.load_m49_names().set_index("iso3")["name"]
    for code in ("TUR", "TWN", "XCX", "GBR", "NLD"):
        expected = iom[code] if code in iom.index else ocha[code]
        assert P.display_name(code) == expected, code
    assert P.display_name("TUR") == "Türkiye"
    assert P.NAME_INPUTS == [("iom-gdidata", "countrynames.rda"),
                             ("ocha-country-taxonomy", "ocha-countries-territories-taxonomy.csv")]
    assert facts(P.load("TUR", P2026))["name"].sources == ["iom-gdidata", "ocha-country-taxonomy"]


def test_name_inputs_are_the_files_the_naming_table_reads():
    countrynames_reads_before = len(pins.reads())
    countrynames.load_iom_names(), countrynames.load_m49_names()
    read = [tuple(r.split("/", 1)) for r in pins.reads()[countrynames_reads_before:]]
    assert sorted(set(read)) == sorted(P.NAME_INPUTS)


@pytest.mark.parametrize("params", [P2024, P2026], ids=["wmr-2024", "wmr-2026"])
def test_inputs_cover_every_pinned_file_the_shared_tables_read(params):
    """The cache key and the run's staleness depend on inputs(): every file read computing the tables is in it."""
    from wmr.kernel import countries

    listed = set(P.inputs(params))
    countries._table.cache_clear(), m49.known_iso3.cache_clear()  # so in-memory tables do not hide a read
    before = len(pins.reads())
    P._compute(params)
    read = {tuple(r.split("/", 1)) for r in pins.reads()[before:]}
    assert read and read <= listed, read - listed
    workbook = {"undesa-ims-2024-bilateral": ("undesa-ims-2024", ims.FILE_2024),
                "undesa-ims-2020-bilateral": ("undesa-ims-2020", ims.FILE_2020)}[params.ims_source]
    assert workbook in listed
    for sid, fname in listed:
        assert pins.source(sid).file(fname)  # every listed file is pinned


def test_inputs_follow_the_chapters_source_choices():
    listed = {sid for sid, _ in P.inputs(P2026)}
    assert {"wb-knomad-data360", "iom-gdidata", "undesa-ims-2024"} <= listed
    assert "wb-knomad-data360" not in {sid for sid, _ in P.inputs(P2024)}
    assert "iom-gdidata" in {sid for sid, _ in P.inputs(P2024)}   # the naming table, not IDPs
    assert ("iom-gdidata", "idmc_stocks.rda") not in P.inputs(P2024)


def test_taiwan_and_channel_islands_have_a_name_but_no_code_shown():
    assert P.display_name("TWN") not in ("TWN", "") and "Taiwan" in P.display_name("TWN")
    assert P.display_name("XCX") == "Channel Islands"


def test_a_name_that_differs_between_editions_is_shown_the_same_in_both():
    workbook = ims.load_destination_2020()
    name_2020 = workbook.loc[workbook["iso3"] == "GBR", "name"].iloc[0]
    a, b = P.load("GBR", P2024), P.load("GBR", P2026)
    assert a.name == b.name == P.display_name("GBR")
    assert name_2020 != a.name        # 'United Kingdom' in the 2020 workbook, the M49 name in the profiles


def test_remittances_received_follow_the_chapters_vintage_in_each_edition():
    for params, code in ((P2026, "IND"), (P2026, "MEX"), (P2024, "IND")):
        y = params.remittance_year
        expected = chapter_remittances.country_series([code], y, y).set_index("year").loc[y, code]
        f = facts(P.load(code, params))["received_usd"]
        assert f.value == pytest.approx(expected) and f.year == y
        assert f.sources == chapter_remittances.sources_for(y)
    assert facts(P.load("IND", P2026))["received_usd"].sources[0] == "wb-knomad-data360"


def test_india_received_in_2023_matches_the_data360_file():
    d360 = remittances.load_data360_inflows()
    row = d360[(d360["iso3"] == "IND") & (d360["year"] == 2023)]
    assert P.load("IND", P2026).value("received_usd") == pytest.approx(row["usd"].iloc[0])


def test_remittance_zeros_and_gaps_stay_missing():
    inflows = remittances.load_knomad_inflows()
    zeros = inflows[(inflows["kind"] == "country") & (inflows["year"] == 2022) & (inflows["usd"] == 0)]
    codes = set(P.profile_codes(P2024.ims_source))
    zero_code = next(c for c in zeros["iso3"] if c in codes)
    assert "received_usd" not in facts(P.load(zero_code, P2024))
    d360 = remittances.load_data360_inflows()
    have = set(d360.loc[(d360["kind"] == "country") & (d360["year"] == 2023), "iso3"])
    gap = next(c for c in sorted(set(P.profile_codes(P2026.ims_source)) - have)
               if c not in ("VAT", "XCX", "TKL", "TWN"))
    prof = P.load(gap, P2026)
    assert "received_usd" not in facts(prof) and math.isnan(prof.value("received_usd"))
    assert any("inflows" in n and "{param}`remittance_year`" in n for n in prof.notes)


def test_remittances_sent_are_for_the_year_of_remittances_received():
    """wmr-2026: the Data360 vintage behind the 2023 inflows has 2023 outflows too (source.toml spot value: United
    States 85,757.0 US$ million, flagged as an estimate), so sent and received share the year."""
    f = facts(P.load("USA", P2026))
    assert f["sent_usd"].year == f["received_usd"].year == 2023
    assert f["sent_usd"].value == pytest.approx(85_757.0e6) and f["sent_usd"].sources == ["wb-knomad-data360"]
    assert "estimate" in f["sent_usd"].note
    # % of GDP exists only in the June 2023 KNOMAD workbook (2022): kept with its own year, and the profile says so
    knomad = remittances.load_knomad_outflows()
    row = knomad[(knomad["iso3"] == "USA") & knomad["pct_gdp"].notna()].iloc[0]
    assert f["sent_pct_gdp"].value == row["pct_gdp"] and f["sent_pct_gdp"].year == int(row["year"]) == 2022
    assert any("share of GDP are for {fact}`sent_pct_gdp_year`" in n for n in P.load("USA", P2026).notes)
    assert facts(P.load("USA", P2026))["sent_pct_gdp_year"].value == 2022
    old = facts(P.load("USA", P2024))
    assert old["sent_usd"].year == old["received_usd"].year == 2022 and old["sent_usd"].note == ""
    assert not any("share of GDP" in n for n in P.load("USA", P2024).notes)


@pytest.mark.parametrize("code", ["UKR", "SDN", "COD", "PHL"])
def test_idps_at_end_2024_match_the_chapters_gdidata_figures(code):
    expected = displacement.gdidata_by_country(2024).set_index("iso3").loc[code]
    f = facts(P.load(code, P2026))
    for key in ("conflict_idps", "disaster_idps"):
        if math.isnan(expected[key]):
            assert key not in f
        else:
            assert f[key].value == expected[key] and f[key].year == 2024
            assert f[key].sources == displacement.idp_sources(2024) == ["iom-gdidata"]


def test_idps_of_wmr_2024_stay_in_idmc_country_year_file():
    from wmr.kernel.sources import idmc

    cy = idmc.load_country_year()
    row = cy[(cy["iso3"] == "UKR") & (cy["year"] == 2022)].iloc[0]
    f = facts(P.load("UKR", P2024))
    assert f["conflict_idps"].value == row["conflict_stock"] and f["conflict_idps"].sources == ["idmc-gidd"]


@pytest.mark.parametrize("params", [P2024, P2026], ids=["wmr-2024", "wmr-2026"])
@pytest.mark.parametrize("code", ["DEU", "ARE", "TUV"])
def test_immigrants_emigrants_and_share_agree_with_the_chapter_functions(params, code):
    y = params.stock_year
    shares = migrants.country_shares(params.ims_source, y).set_index("iso3").loc[code]
    emigrants = ims.stock_by_origin(params.ims_source, y).set_index("origin_iso3").loc[code, "migrants"]
    f = facts(P.load(code, params))
    assert f["immigrants"].value == shares["migrants"] and f["emigrants"].value == emigrants
    assert f["immigrant_share_pct"].value == pytest.approx(shares["share_pct"])
    assert f["immigrant_share_pct"].sources == [params.ims_source, migrants.population_source(params.ims_source)]


def test_the_denominator_is_the_official_workbook_population():
    wb = ims.load_destination_2024()
    row = wb[(wb["iso3"] == "DEU") & (wb["kind"] == "country") & (wb["sex"] == "total") & (wb["year"] == 2024)]
    prof = P.load("DEU", P2026)
    assert prof.value("population") == row["population"].iloc[0]
    assert P.denominator_source(P2026.ims_source) == ims.SOURCE_2024 == "undesa-ims-2024"
    assert P.denominator_source(P2024.ims_source) == ims.SOURCE_2020


@pytest.mark.build   # the facts of every profile of both editions: the computation of a full profiles build
def test_every_profile_of_both_editions_builds_its_facts_without_a_crash():
    for params in (P2024, P2026):
        for code in P.profile_codes(params.ims_source):
            specs = [SimpleNamespace(**s) for s in P.fact_specs(P.load(code, params))]
            for s in specs:
                assert not (isinstance(s.value, float) and math.isnan(s.value)), (code, s.name)
            assert {"name", "name_in_text", "region", "immigrants"} <= {s.name for s in specs}
            prof = P.load(code, params)
            cited = set(facts_cited(P.narrative(prof) + P.coverage_text(prof)))
            assert cited <= {s.name for s in specs}, (code, cited - {s.name for s in specs})


def test_narrative_is_built_from_the_profile_figures():
    prof = P.load("IND", P2026)
    f = facts(prof)
    assert P.narrative_keys(prof) == ["place_sub", "immigrants_share", "fewer", "emigrants_more", "origin",
                                      "destination", "hosted"]   # India: 4.8 million in 2024, 34% fewer than in 1990
    assert f["top_origin"].value == countries.in_text(prof.origins.iloc[0]["iso3"])
    assert f["imm_change_pct"].value == pytest.approx(abs(100 * (prof.last("immigrants") / prof.stock.iloc[0]["immigrants"] - 1)))
    assert not re.search(r"\d", plain_text(P.narrative(prof)))
    usa = P.load("USA", P2026)
    assert "more" in P.narrative_keys(usa) and facts(usa)["name_in_text"].value == "the United States of America"
    twn = P.load("TWN", P2026)
    assert P.narrative_keys(twn)[0] == "place" and "subregion" not in facts(twn)


def test_a_missing_population_is_a_coverage_note_not_a_zero():
    """Every profile of both pinned editions has a workbook population; a gap must still never read as 0%."""
    prof = P.load("DEU", P2026)
    prof.row = {**prof.row, "population": float("nan")}
    assert "immigrant_share_pct" not in facts(prof)
    assert any("population" in n and "UN DESA" in n for n in P.coverage_notes(prof))
    assert "immigrant_share_pct" not in P.narrative(prof)


@pytest.mark.parametrize("iso3", ["DEU", "VAT", "TKL"])
def test_profile_chart_texts_cite_the_profiles_own_facts(iso3):
    """Titles, captions and alt text of both profile charts state years and numbers only through facts the
    profile records; the alt text names the main origin and destination when the profile has them."""
    from wmr.kernel.analysis import profilefigures as PF

    from .figure_texts import cited

    prof = P.load(iso3, P2026)
    specs = P.fact_specs(prof)
    recorded = {s["name"] for s in specs}
    trend, partners = PF.trend_figure(prof, specs), PF.partners_figure(prof, specs)
    for spec in (trend, partners):
        assert cited({**spec, "caption": spec["title"] + " " + spec["caption"]}, recorded)
    years = sorted(prof.stock["year"])
    assert {s["name"]: s["value"] for s in specs if s["name"] in ("first_year", "stock_year")} == {
        "first_year": years[0], "stock_year": 2024}
    assert ("{fact}`top_origin`" in partners["alt"]) == (not prof.origins.empty)
    assert ("{fact}`emigrants`" in trend["alt"]) == ("emigrants" in recorded)
