"""Gender indicators on the real pins: checked against the UN DESA workbook, source.toml spot values and
direct computations written differently here."""
from __future__ import annotations

import pytest

from wmr.core.errors import CoverageError
from wmr.kernel.analysis import gender
from wmr.kernel.sources import idmc, ims, missing_migrants, unhcr

from .figure_texts import cited

B2020, B2024 = "undesa-ims-2020-bilateral", "undesa-ims-2024-bilateral"


def test_regional_female_shares_match_the_un_desa_2020_workbook():
    ours = gender.female_share_by_region(B2020)
    wb = ims.load_destination_2020()
    wb = wb[wb["kind"].isin(["region", "world"]) & (wb["sex"] == "total")]
    official = {(int(y), n.title()): v for y, n, v in zip(wb["year"], wb["name"], wb["female_share_pct"])}
    names = {"Latin America And The Caribbean": "Latin America and the Caribbean"}
    official = {(y, names.get(n, n)): v for (y, n), v in official.items()}
    checked = 0
    for r in ours.itertuples():
        want = official.get((r.year, r.region))
        if want is not None:
            assert r.female_share_pct == pytest.approx(want, abs=0.01), (r.year, r.region)
            checked += 1
    assert checked == 7 * 7  # world and six regions, seven years


def test_world_female_share_equals_ims_world_totals():
    ours = gender.female_share_by_region(B2024)
    world = ours[ours["region"] == gender.WORLD].set_index("year")
    totals = ims.world_totals(B2024).set_index("year")
    assert (world["female"] == totals["female"]).all()
    assert (world["total"] == totals["total"]).all()


def test_regions_plus_unassigned_add_up_to_the_world():
    ours = gender.female_share_by_region(B2024)
    y = ours[ours["year"] == 2024].set_index("region")
    regions = y.drop(index=gender.WORLD)
    assert list(regions.index) == ["Africa", "Asia", "Europe", "Latin America and the Caribbean", "Northern America", "Oceania"]
    unassigned = gender.unassigned_migrants(B2024, 2024)
    assert regions["total"].sum() + unassigned == y.loc[gender.WORLD, "total"]
    # Taiwan and the Channel Islands are in Asia and Europe, as UN DESA allocates them: nothing is unassigned
    assert unassigned == 0


def test_wide_table_and_region_table():
    wide = gender.female_share_wide(B2020)
    assert list(wide["year"]) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert wide.columns[1] == gender.WORLD
    table = gender.region_table(B2020, 1990, 2020)
    asia = table.set_index("Region").loc["Asia"]
    assert asia["Change (percentage points)"] == pytest.approx(asia["Female share 2020 (%)"] - asia["Female share 1990 (%)"])
    assert asia["Female share 2020 (%)"] == pytest.approx(41.84, abs=0.01)  # UN DESA Table 4


def test_country_shares_threshold_and_extremes():
    shares = gender.country_female_shares(B2024, 2024, 100_000)
    assert shares["migrants"].min() >= 100_000
    assert shares["female_share_pct"].is_monotonic_decreasing
    # Nepal: 328,865 female of 470,719 migrants (direct sum of the bilateral rows)
    b = ims.load_bilateral(B2024)
    npl = b[(b["year"] == 2024) & (b["dest_iso3"] == "NPL")]
    female = npl.loc[npl["sex"] == "female", "migrants"].sum()
    assert shares.iloc[0]["iso3"] == "NPL"
    assert shares.iloc[0]["female_share_pct"] == pytest.approx(100 * female / npl["migrants"].sum())
    assert shares.iloc[-1]["iso3"] == "OMN"
    ext = gender.extremes(shares, 10)
    assert len(ext) == 20 and (ext["group"] == "highest").sum() == 10
    assert ext[ext["group"] == "highest"]["female_share_pct"].min() > ext[ext["group"] == "lowest"]["female_share_pct"].max()
    everyone = gender.country_female_shares(B2024, 2024)
    assert len(everyone) > len(shares)


def test_refugee_sex_age_against_unhcr_totals():
    assert gender.demographics_years() == [2025]
    ages = gender.refugee_sex_age(2025)
    d = unhcr.load_demographics()
    d = d[d["pop_type"].isin(["REF", "ASY"])]
    assert ages["female"].sum() == d["f_total"].sum()
    assert ages["male"].sum() == d["m_total"].sum()
    summ = gender.refugee_sex_summary(2025).set_index("population")
    # the demographics' refugee total equals the population table's refugees at end-2025 (source.toml: 28,461,306)
    assert summ.loc["Refugees", "total"] == pytest.approx(28_461_306, abs=1)
    assert 0 < summ.loc["Asylum-seekers", "disaggregated_pct"] < summ.loc["Refugees", "disaggregated_pct"] < 100
    with pytest.raises(CoverageError) as exc:
        gender.refugee_sex_age(2022)
    assert exc.value.got == "2022" and "2025" in exc.value.expected


def test_mmp_by_sex_parts_add_up():
    mmp = gender.mmp_by_sex(2024)
    assert mmp["year"].tolist() == list(range(2014, 2025))
    assert (mmp["female"] + mmp["male"] + mmp["not_recorded"] == mmp["dead_and_missing"]).all()
    y = mmp.set_index("year")
    assert y.loc[2023, "dead_and_missing"] == 8_747 and y.loc[2024, "dead_and_missing"] == 9_002  # source.toml
    inc = missing_migrants.load_incidents()
    assert y.loc[2024, "female"] == inc.loc[inc["year"] == 2024, "females"].fillna(0).sum()
    share = gender.mmp_missing_share(2024)
    assert share == pytest.approx(100 * inc.loc[inc["year"] == 2024, "missing"].sum() / 9_002)


def test_idp_sex_age_partition_matches_idmc_totals():
    assert gender.sadd_year(2023) == 2022 and gender.sadd_year(2021) == 2021
    with pytest.raises(CoverageError) as exc:
        gender.sadd_year(2020)
    assert exc.value.got == "2020" and "2021" in exc.value.expected
    t = gender.idp_sex_age(2022)
    assert list(t["age"].unique()) == list(gender.IDMC_AGES)
    conflict = t[t["cause"] == "Conflict"][["female", "male"]].to_numpy().sum()
    # the partition sums to the country-year conflict IDP stock of 2022 (62,479,565) up to band rounding
    cy = idmc.load_country_year()
    stock = cy.loc[(cy["year"] == 2022) & cy["iso3"].isin(idmc.load_sadd_estimates()["iso3"]), "conflict_stock"].sum()
    assert conflict == pytest.approx(stock, rel=1e-3)
    s = idmc.load_sadd_estimates()
    s = s[(s["year"] == 2022) & (s["sex"] == "Female") & (s["cause"] == "Disaster")].groupby("age")["idps"].sum()
    dis = t[(t["cause"] == "Disaster")].set_index("age")["female"]
    assert abs(dis["12–17"] - (s["0-17"] - s["0-4"] - s["5-11"])) <= 2 * 90  # rounding of each band, 90 countries
    assert dis["18–24"] == s["0-24"] - s["0-17"]
    summ = gender.idp_sex_summary(2022).set_index("cause")
    assert summ.loc["All", "idps"] == pytest.approx(summ.loc["Conflict", "idps"] + summ.loc["Disaster", "idps"])
    assert 45 < summ.loc["All", "female_share_pct"] < 55


# ------------------------------------------------------------------------------ the chapter's facts and figures

def _names(*specs) -> dict:
    return {s["name"]: s for part in specs for s in part}


def test_stock_and_country_facts_and_their_figures():
    facts = _names(gender.stock_facts(B2024, 2024), gender.country_facts(B2024, 2024, 100_000, 10))
    totals = ims.world_totals(B2024).set_index("year")
    assert facts["first_year"]["value"] == 1990 and facts["last_year"]["value"] == 2024
    assert facts["female_migrants"]["value"] == totals.loc[2024, "female"]
    assert facts["male_migrants_more"]["value"] == totals.loc[2024, "total"] - 2 * totals.loc[2024, "female"]
    assert facts["female_share_first"]["year"] == 1990 and facts["regions_n"]["sources"] == [B2024, "unsd-m49"]
    assert facts["country_highest"]["value"] == "Nepal" and facts["country_lowest"]["value"] == "Oman"
    assert facts["low_share"]["display"] == "30%" and facts["majority_share"]["display"] == "50%"
    every = gender.country_female_shares(B2024, 2024)
    assert facts["map_countries"]["value"] == len(every) > facts["countries_ranked"]["value"]
    assert facts["map_below_low"]["value"] == sum(every["female_share_pct"] < 30)
    assert facts["map_lowest"]["value"].count(", ") == 2
    for spec in (gender.regions_figure(B2024, 2024), gender.extremes_figure(B2024, 2024, 100_000, 10),
                 gender.map_figure(B2024, 2024), gender.regions_table(B2024, 2024)):
        assert cited(spec, set(facts))
    assert gender.regions_table(B2024, 2024)["df"]["Change (percentage points)"].str.match(r"^[+-]\d+\.\d$").all()


def test_refugee_mmp_and_idp_facts_and_their_figures():
    d = unhcr.load_demographics()
    d = d[(d["year"] == 2025) & d["pop_type"].isin(["REF", "ASY"])]
    facts = _names(gender.refugee_facts(2025), gender.mmp_facts(2024), gender.idp_facts(2023))
    assert facts["demog_year"]["value"] == 2025 and facts["older_women"]["value"] == d["f_60"].sum()
    assert facts["ref_asy_adults"]["value"] == d["f_18_59"].sum() + d["m_18_59"].sum()
    assert facts["ref_asy_disaggregated_pct"]["value"] == pytest.approx(
        100 * (d["f_total"].sum() + d["m_total"].sum()) / d["total"].sum())
    assert list(gender.refugee_facts(2022)) == []                  # no breakdown up to 2022: nothing to record
    inc = missing_migrants.load_incidents()
    y = inc[inc["year"] == 2024]
    assert facts["mmp_not_recorded"]["value"] == 9_002 - y["females"].sum() - y["males"].sum()
    assert facts["mmp_first_year"]["value"] == 2014 and facts["mmp_recorded_pct_first"]["year"] == 2014
    assert facts["sadd_year"]["value"] == 2022 and facts["idp_older_women"]["year"] == 2022
    for spec in (gender.refugees_figure(2025), gender.mmp_figure(2024), gender.idp_figure(2023)):
        assert cited(spec, set(facts))
