"""What an editor signs: one denominator, current pins, headline totals, no anachronisms (issue 12)."""
from __future__ import annotations

import pytest

from wmr.build import cutoff
from wmr.core.errors import AssemblyError
from wmr.kernel import fmt
from wmr.kernel.analysis import displacement, keyfacts, migrants, remittances
from wmr.kernel.sources import idmc, ims, unhcr


@pytest.mark.parametrize("source,year,published", [("undesa-ims-2024-bilateral", 2024, 3.72485707735603),
                                                   ("undesa-ims-2020-bilateral", 2020, None)])
def test_share_of_world_population_uses_the_workbooks_own_population(source, year, published):
    wb = ims.destination_workbook(source)
    world = wb[(wb["kind"] == "world") & (wb["sex"] == "total") & (wb["year"] == year)].iloc[0]
    head = migrants.headline(source, year)
    assert head["population"] == world["population"]
    # Table 3 of the same workbook (UN DESA's own % of population); 3.7% in 2024 per source.toml
    assert head["share_pct"] == pytest.approx(world["migrant_share_pct"], abs=1e-6)
    if published:
        assert head["share_pct"] == pytest.approx(published, abs=1e-9)
    assert migrants.population_source(source) == ims.WORKBOOKS[source][0]


def test_key_fact_equals_last_point_of_share_series():
    specs = keyfacts.key_facts("undesa-ims-2024-bilateral", 2024, 2023, 2025, 2024, 2024)
    share = next(s for s in specs if s["name"] == "migrants_share_pct")
    series = migrants.world_series("undesa-ims-2024-bilateral")
    assert int(series["year"].iloc[-1]) == 2024
    assert share["value"] == pytest.approx(series["share_pct"].iloc[-1], abs=1e-4)
    assert "undesa-ims-2024" in share["sources"]
    assert specs.labels["migrants_share_pct"] == "International migrants, % of world population"


def test_majority_migrant_count_uses_the_same_population():
    shares = migrants.country_shares("undesa-ims-2024-bilateral", 2024)
    wb = ims.destination_workbook("undesa-ims-2024-bilateral")
    pop = wb[(wb["kind"] == "country") & (wb["sex"] == "total") & (wb["year"] == 2024)].set_index("iso3")["population"]
    assert (shares.set_index("iso3")["population"] == pop.reindex(shares["iso3"]).to_numpy()).all()
    assert "GRL" in set(shares["iso3"])  # Greenland has a population in the workbook, so a share on the map


def test_remittances_2023_from_data360():
    assert remittances.source_for(2022) == "wb-remittances"  # wmr-2024 keeps its vintage
    assert remittances.source_for(2023) == "wb-knomad-data360"
    # source.toml spot value: sum of all 200 economies 2023 = 857,306.3 US$ million
    assert remittances.totals(2023)["world_usd"] == pytest.approx(857_306.3e6, rel=1e-6)
    top = remittances.top_recipients(2023, 2)
    assert list(top["iso3"]) == ["IND", "MEX"] and top["usd"].iloc[0] == pytest.approx(119_526.1e6, rel=1e-5)


def test_idp_stocks_end_2024_by_cause():
    assert displacement.idp_source(2022) == "idmc-gidd" and displacement.idp_source(2024) == "iom-gdidata"
    t = displacement.idp_totals(2024)
    # source.toml spot values (GRID 2025): conflict 73,505,209; disaster 9,847,217
    assert (t["conflict_idps"], t["disaster_idps"]) == (73_505_209, 9_847_217)
    assert t["file"] == "idmc_stocks.rda"
    assert displacement.idp_totals(2023)["conflict_idps"] != 0


@pytest.mark.parametrize("refugee_year,idp_year", [(2022, 2022), (2025, 2024)])
def test_headline_totals_add_their_components(refugee_year, idp_year):
    facts = {f["name"]: f for f in displacement.headline_facts(refugee_year, idp_year, fmt.millions)}
    year = min(refugee_year, idp_year)
    pop = unhcr.load_population()
    pop = pop[pop["year"] == year]
    unrwa = unhcr.load_unrwa()
    unrwa = float(unrwa.loc[unrwa["year"] == year, "refugees"].sum())
    idp = displacement.idp_totals(year)
    expected = (pop["refugees"].sum() + unrwa + pop["asylum_seekers"].sum() + pop["oip"].sum()
                + idp["conflict_idps"] + idp["disaster_idps"])
    total = facts["displaced_total"]
    assert total["value"] == pytest.approx(expected) and total["year"] == year
    for label in ("UNHCR's mandate", "UNRWA", "asylum-seekers", "international protection", "conflict", "disasters"):
        assert label in total["note"]
    ref = unhcr.load_population()
    ref = ref[ref["year"] == refugee_year]
    assert facts["stateless"]["value"] == pytest.approx(ref["stateless"].sum())
    assert facts["refugees_incl_unrwa"]["year"] == refugee_year


def test_anachronism_names_chapter_fact_and_year():
    cutoff.check("wmr-2024", 2022, "gender", "fact", "ok", [2020, 2022])
    with pytest.raises(AssemblyError) as exc:
        cutoff.check("wmr-2024", 2022, "gender", "figure", "fig-refugees-sex-age", [2021, 2025])
    msg = exc.value.message()
    assert "gender" in msg and "fig-refugees-sex-age" in msg and "2025" in msg and "2022" in msg


def test_years_in_csv_and_fact_fields(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("year,value\n2019,1\n2024,2\n")
    assert cutoff.csv_years(path) == [2019, 2024]
    (tmp_path / "none.csv").write_text("country,value\nA,2025\n")
    assert cutoff.csv_years(tmp_path / "none.csv") == []
    assert cutoff.years_in("2019–2024") == [2019, 2024] and cutoff.years_in(2020) == [2020]


def test_editions_declare_data_through():
    from wmr.build import editions

    assert editions.load("wmr-2024").data_through == 2022
    assert editions.load("wmr-2026").data_through == 2025


def test_no_unhcr_sex_age_before_2025_is_said_not_borrowed():
    from wmr.kernel.analysis import gender

    assert gender.demographics_year(2022) is None
    assert gender.sex_age_key(2022) == "missing_later_unused"   # the 2025 breakdown exists but is not used
    assert "not available for {param}`refugee_year`" in gender.sex_age_text(2022)
    assert gender.sex_age_key(2025) == "available" and "{fact}`ref_female_pct`" in gender.sex_age_text(2025)
    assert "{fact}`ref_disaggregated_pct`" not in gender.data_gaps_text(2022)
    assert gender.demographics_year(2025) == 2025


def test_idmc_gdidata_loader_keeps_each_files_years():
    d = idmc.load_gdidata_stocks()
    assert set(d.loc[d["year"] == 2024, "file"]) == {"idmc_stocks.rda"}
    assert set(d.loc[d["year"] == 2023, "file"]) == {"idmc_stocks_2009-2023.rda"}


def _figure_payloads(monkeypatch, tmp_path):
    from wmr.kernel import chapter

    monkeypatch.setenv(chapter.FIGURES_ENV, str(tmp_path))
    shown = []
    monkeypatch.setattr(chapter, "_display", lambda payload, mime, text: shown.append(payload))
    return chapter.Chapter(), shown


def _plot(df):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(df["year"], df.iloc[:, 1])
    return fig


def test_source_line_follows_the_idmc_file_a_figure_read(monkeypatch, tmp_path):
    from wmr.kernel import provenance

    ch, shown = _figure_payloads(monkeypatch, tmp_path)
    ch.new_cell()
    old = displacement.idp_stocks(2022)          # the GRID 2023 country-year file only
    ch.figure("fig-a", _plot(old), title="t", caption="c", alt="a", data=old, sources=["idmc-gidd"])
    ch.new_cell()
    new = displacement.new_displacements(2024)   # also the 2023 figure-level file and the events file
    ch.figure("fig-b", _plot(new), title="t", caption="c", alt="a", data=new, sources=["idmc-gidd"])
    ch.new_cell()
    now = displacement.idp_stocks(2024)           # iom-gdidata, not idmc-gidd
    ch.figure("fig-c", _plot(now), title="t", caption="c", alt="a", data=now, sources=displacement.idp_sources(2024))
    a, b, c = shown
    assert a["reads"] == [f"idmc-gidd/{idmc.FILE_COUNTRY_YEAR}"]
    assert set(b["reads"]) == {f"idmc-gidd/{f}" for f in (idmc.FILE_COUNTRY_YEAR, idmc.FILE_DISAGGREGATED, idmc.FILE_EVENTS)}
    assert set(c["reads"]) == {f"iom-gdidata/{f}" for f in idmc.GDIDATA_FILES}
    line_a = provenance.summary(a["reads"][0]).edition
    line_b = [provenance.summary(r).edition for r in b["reads"]]
    assert idmc.FILE_COUNTRY_YEAR in line_a and "2008-2022" in line_a
    assert any("figure-level" in e and "2023" in e for e in line_b)
    assert any("GRID 2025" in provenance.summary(r).edition for r in c["reads"])


def test_fact_records_the_files_read(monkeypatch, tmp_path):
    ch, _ = _figure_payloads(monkeypatch, tmp_path)
    ch.new_cell()
    t = remittances.totals(2023)
    f = ch.fact("remittances_world", t["world_usd"], unit="US$", year=2023, sources=remittances.sources_for(2023))
    assert "wb-knomad-data360/WB_KNOMAD.csv" in f.reads


def test_wmr_2026_uses_the_newest_data_each_pin_offers():
    """The edition's years equal the latest years of its pins (read from the data, not typed in the test)."""
    import tomllib

    from wmr.kernel.sources import missing_migrants
    from wmr.kernel.sources import remittances as rem_src

    from .conftest import ROOT

    params = tomllib.loads((ROOT / "editions" / "wmr-2026.toml").read_text())["parameters"]
    assert params["stock_year"] == int(ims.load_bilateral(params["ims_source"])["year"].max())
    assert params["remittance_year"] == max(int(rem_src.load_inflows(s)["year"].max()) for s in rem_src.INFLOW_SOURCES)
    assert params["idp_year"] == int(idmc.load_gdidata_stocks()["year"].max())
    assert params["refugee_year"] == int(unhcr.load_population()["year"].max())
    mmp = missing_migrants.load_incidents()
    last = mmp.loc[mmp["year"] == mmp["year"].max(), "month"].max()
    complete = int(mmp["year"].max()) if last == 12 else int(mmp["year"].max()) - 1
    assert params["mmp_year"] == complete  # the export stops in April 2025: 2024 is the last complete year


def test_one_naming_table_iom_house_style_then_m49():
    from wmr.kernel import countries
    from wmr.kernel.sources import countrynames

    iom = countrynames.load_iom_names().set_index("iso3")["name"]
    assert countries.name("TUR") == iom["TUR"] == "Türkiye"           # not 'Turkey'
    assert countries.name("TWN") == iom["TWN"]                          # one form of Taiwan Province of China
    assert countries.name("PSE") == "Occupied Palestinian Territory"    # IOM house style where it exists
    assert countries.name("XKX") == "Kosovo (SCR 1244)"                 # the file's own corrected spelling
    m49 = countrynames.load_m49_names().set_index("iso3")["name"]
    missing = sorted(set(m49.index) - set(iom.index))
    assert all(countries.name(c) == m49[c] for c in missing)           # M49 names otherwise


def test_running_text_form_takes_the_article_the_table_gives():
    from wmr.kernel import countries

    assert countries.in_text("USA") == "the United States of America"
    assert countries.in_text("PHL") == "the Philippines"
    assert countries.in_text("NLD") == "the Kingdom of the Netherlands"
    assert countries.in_text("IND") == "India"
    assert countries.in_text("PHL", capital=True) == "The Philippines"


def test_a_fact_opening_a_sentence_is_capitalised():
    from wmr.build.document import starts_sentence

    text = "Intro. {fact}`a` rose, while {fact}`b` fell.\n\n{fact}`c` too;\n{fact}`d`."
    starts = [starts_sentence(text, i) for i in (text.index("{fact}`a`"), text.index("{fact}`b`"),
                                                 text.index("{fact}`c`"), text.index("{fact}`d`"))]
    assert starts == [True, False, True, False]


def test_key_facts_table_rows_are_the_labelled_facts_in_order():
    from wmr.kernel.facts import make_fact

    specs = keyfacts.key_facts("undesa-ims-2024-bilateral", 2024, 2023, 2025, 2024, 2024)
    names = [s["name"] for s in specs]
    assert len(names) == len(set(names))
    recorded = {s["name"]: make_fact(**s) for s in specs}
    table = keyfacts.as_table(specs, recorded)
    assert list(table["Indicator"]) == [label for name, label in specs.labels.items() if recorded[name].unit != "year"]
    assert "displaced_total_year" in specs.labels and "Year of the displacement total (end of year)" not in set(table["Indicator"])
    assert "top_destination_1_country" not in specs.labels   # a ranked row's country is shown beside its value
    by = table.set_index("Indicator")
    assert by.loc["Destination country, rank 1", "Value"] == (
        f"{recorded['top_destination_1_country'].value} ({recorded['top_destination_1'].display})")
    assert by.loc["International migrants", "Value"] == recorded["migrants_total"].display
    assert by.loc["Asylum-seekers", "Year"] == "2025"
