"""What stands out about each region: the opening paragraph of its section, chosen from its data.

Eight indicators are computed for all six regions (migration balance, growth of immigration and of
emigration, share of immigrants born in the region, women's share, remittances, displacement, the largest
corridor). A region's paragraph tells its four most unusual ones (largest distance from the six-region mean,
in standard deviations), most unusual first; the data also choose each sentence's variant (gains or loses
migrants, fastest or slowest growth...). Each variant has two phrasings, handed out so that no two regions
share a sentence: six paragraphs that differ in content and in shape. Every number is a fact (`facts`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from wmr.core.errors import ConfigError

from .. import pins
from ..countries import in_text
from ..facts import FactSpecs
from ..sources import ims, m49
from . import displacement, gender
from . import regions as R
from . import remittances

SENTENCES_PER_REGION = 4
NAMES_REGION = "{param}`region`"
STRONG_BALANCE = 2.0      # one side outnumbers the other at least this many times: 'far more'

# (signal, variant) -> two phrasings; each a whole sentence whose numbers and names are facts.
TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    ("balance", "gain_strong"): (
        "{param}`region` receives far more migrants than it sends: in {param}`stock_year`, {fact}`immigrants` "
        "international migrants lived there, {fact}`balance_ratio` times the {fact}`emigrants` people born in the "
        "region who lived abroad.",
        "Few people born in {param}`region` leave it: in {param}`stock_year` its {fact}`emigrants` emigrants were "
        "outnumbered {fact}`balance_ratio` to one by the {fact}`immigrants` international migrants who lived there."),
    ("balance", "gain"): (
        "{param}`region` gains migrants on balance: {fact}`immigrants` international migrants lived there in "
        "{param}`stock_year`, against {fact}`emigrants` people born in the region who lived in another country.",
        "More migrants live in {param}`region` than leave it: in {param}`stock_year` its {fact}`immigrants` "
        "immigrants outnumbered its {fact}`emigrants` emigrants {fact}`balance_ratio` to one."),
    ("balance", "loss"): (
        "{param}`region` sends more migrants than it receives: {fact}`emigrants` people born there lived in another "
        "country in {param}`stock_year`, against {fact}`immigrants` international migrants living in the region.",
        "On balance, {param}`region` loses migrants: in {param}`stock_year` its {fact}`emigrants` emigrants "
        "outnumbered the {fact}`immigrants` immigrants living there {fact}`balance_ratio` to one."),
    ("balance", "loss_strong"): (
        "{param}`region` is above all a region of origin: {fact}`emigrants` people born there lived in another "
        "country in {param}`stock_year`, {fact}`balance_ratio` times the {fact}`immigrants` international migrants "
        "who lived in the region.",
        "Emigration dominates in {param}`region`: for every international migrant living there in "
        "{param}`stock_year`, {fact}`balance_ratio` people born in the region lived abroad ({fact}`emigrants` in all)."),
    ("imm_growth", "fastest"): (
        "Immigration grew faster than in any other region: the number of international migrants living in "
        "{param}`region` rose by {fact}`imm_change_pct` between {fact}`first_year` and {param}`stock_year`, from "
        "{fact}`immigrants_first` to {fact}`immigrants`.",
        "No region's immigrant population grew faster: since {fact}`first_year` it has risen by "
        "{fact}`imm_change_pct`, from {fact}`immigrants_first` to {fact}`immigrants`."),
    ("imm_growth", "slowest"): (
        "Immigration to {param}`region` grew more slowly than to any other region, by {fact}`imm_change_pct` "
        "between {fact}`first_year` and {param}`stock_year`.",
        "Of the six regions, {param}`region` saw the smallest rise in immigration: {fact}`imm_change_pct` since "
        "{fact}`first_year`, from {fact}`immigrants_first` to {fact}`immigrants`."),
    ("imm_growth", "rise"): (
        "Since {fact}`first_year`, the number of international migrants living in the region has risen by "
        "{fact}`imm_change_pct`, from {fact}`immigrants_first` to {fact}`immigrants`.",
        "Immigration has grown by {fact}`imm_change_pct` since {fact}`first_year`."),
    ("imm_growth", "fall"): (
        "Since {fact}`first_year`, the number of international migrants living in the region has fallen by "
        "{fact}`imm_change_pct`, from {fact}`immigrants_first` to {fact}`immigrants`.",
        "Immigration has fallen by {fact}`imm_change_pct` since {fact}`first_year`."),
    ("emi_growth", "fastest"): (
        "Emigration grew faster than from any other region: the number of people born in {param}`region` and "
        "living abroad rose by {fact}`emi_change_pct` between {fact}`first_year` and {param}`stock_year`, to "
        "{fact}`emigrants`.",
        "No region saw its diaspora grow faster: {fact}`emigrants` people born in {param}`region` lived abroad in "
        "{param}`stock_year`, {fact}`emi_change_pct` more than in {fact}`first_year`."),
    ("emi_growth", "slowest"): (
        "Emigration from {param}`region` grew more slowly than from any other region: by {fact}`emi_change_pct` "
        "since {fact}`first_year`, from {fact}`emigrants_first` to {fact}`emigrants`.",
        "The number of people born in {param}`region` and living abroad rose less than for any other region, by "
        "{fact}`emi_change_pct` since {fact}`first_year`."),
    ("emi_growth", "rise"): (
        "The number of people born in the region and living abroad has risen by {fact}`emi_change_pct` since "
        "{fact}`first_year`, from {fact}`emigrants_first` to {fact}`emigrants`.",
        "Emigration has grown by {fact}`emi_change_pct` since {fact}`first_year`."),
    ("emi_growth", "fall"): (
        "The number of people born in the region and living abroad has fallen by {fact}`emi_change_pct` since "
        "{fact}`first_year`, from {fact}`emigrants_first` to {fact}`emigrants`.",
        "Emigration has fallen by {fact}`emi_change_pct` since {fact}`first_year`."),
    ("within", "high"): (
        "Migration in {param}`region` is largely regional: {fact}`within_imm_pct` of its immigrants were born in "
        "another of its countries.",
        "Most immigrants come from nearby: {fact}`within_imm_pct` were born elsewhere in {param}`region`, and the "
        "largest group from outside came from {fact}`top_other_origin_region` "
        "({fact}`top_other_origin_region_migrants`)."),
    ("within", "low"): (
        "Its immigrants come mostly from other regions: only {fact}`within_imm_pct` were born elsewhere in "
        "{param}`region`, and the largest group, {fact}`top_other_origin_region_migrants`, came from "
        "{fact}`top_other_origin_region`.",
        "Immigration connects {param}`region` with the rest of the world: {fact}`top_other_origin_region` alone was "
        "the birthplace of {fact}`top_other_origin_region_migrants` of its immigrants, while {fact}`within_imm_pct` "
        "were born in the region itself."),
    ("female", "lowest"): (
        "Men clearly outnumber women among its immigrants: women and girls made up {fact}`female_share_pct` of "
        "them, the lowest share of any region (world: {fact}`female_share_world_pct`).",
        "Women and girls made up only {fact}`female_share_pct` of the immigrants in {param}`region`, less than in "
        "any other region and below the world's {fact}`female_share_world_pct`."),
    ("female", "highest"): (
        "Women and girls made up {fact}`female_share_pct` of its immigrants, the highest share of any region "
        "(world: {fact}`female_share_world_pct`).",
        "No region's immigrants include a larger share of women and girls than those of {param}`region`: "
        "{fact}`female_share_pct`, against {fact}`female_share_world_pct` worldwide."),
    ("female", "above"): (
        "Women and girls made up {fact}`female_share_pct` of its immigrants, more than the world's "
        "{fact}`female_share_world_pct`.",
        "The share of women and girls among its immigrants, {fact}`female_share_pct`, was above the world's "
        "{fact}`female_share_world_pct`."),
    ("female", "below"): (
        "Women and girls made up {fact}`female_share_pct` of its immigrants, less than the world's "
        "{fact}`female_share_world_pct`.",
        "The share of women and girls among its immigrants, {fact}`female_share_pct`, was below the world's "
        "{fact}`female_share_world_pct`."),
    ("remittances", "largest"): (
        "{param}`region` receives more remittances than any other region: {fact}`remit_total` in "
        "{param}`remittance_year`, {fact}`remit_world_share` of the world total.",
        "Remittances weigh more in {param}`region` than anywhere else: its countries received {fact}`remit_total` in "
        "{param}`remittance_year`, {fact}`remit_world_share` of the world's remittances, while "
        "{fact}`emigrants_world_share` of the world's migrants were born there."),
    ("remittances", "above"): (
        "Its emigrants send home more than their number suggests: the region received {fact}`remit_world_share` of "
        "the world's remittances ({fact}`remit_total` in {param}`remittance_year`), while "
        "{fact}`emigrants_world_share` of the world's migrants were born there.",
        "The countries of {param}`region` received {fact}`remit_total` in remittances in {param}`remittance_year`, "
        "{fact}`remit_world_share` of the world total, a larger share than its {fact}`emigrants_world_share` of "
        "the world's emigrants."),
    ("remittances", "below"): (
        "Remittances matter less here than the size of its diaspora suggests: the region received "
        "{fact}`remit_world_share` of the world's remittances ({fact}`remit_total` in {param}`remittance_year`), "
        "while {fact}`emigrants_world_share` of the world's migrants were born there.",
        "The countries of {param}`region` received {fact}`remit_total` in remittances in {param}`remittance_year`, "
        "{fact}`remit_world_share` of the world total and a smaller share than its {fact}`emigrants_world_share` of "
        "the world's emigrants."),
    ("displacement", "idps_most"): (
        "{param}`region` bears the heaviest burden of internal displacement: {fact}`idps_total` people were "
        "internally displaced there at the end of {param}`idp_year`, {fact}`idps_world_share` of the world total, "
        "and {fact}`refugees_originating` refugees had fled its countries.",
        "Displacement marks {param}`region` more than any other region: it counted {fact}`idps_world_share` of the world's "
        "internally displaced persons ({fact}`idps_total`) at the end of {param}`idp_year`."),
    ("displacement", "host"): (
        "The region hosted {fact}`refugees_hosted` refugees at the end of {param}`refugee_year`, more than the "
        "{fact}`refugees_originating` who had fled its own countries.",
        "More refugees find protection in {param}`region` than flee from it: {fact}`refugees_hosted` were hosted "
        "there at the end of {param}`refugee_year`, against {fact}`refugees_originating` from its countries."),
    ("displacement", "origin"): (
        "Forced displacement weighs on {param}`region`: {fact}`refugees_originating` refugees had fled its countries by "
        "the end of {param}`refugee_year`, {fact}`refugees_world_share` of all refugees under UNHCR's mandate, and "
        "{fact}`idps_total` people were internally displaced at the end of {param}`idp_year`.",
        "More refugees flee {param}`region` than find protection there: {fact}`refugees_originating` had fled its "
        "countries by the end of {param}`refugee_year`, against {fact}`refugees_hosted` hosted in them."),
    ("corridor", "within"): (
        "The largest migration corridor of {param}`region` lies inside the region: {fact}`corridor_migrants` people born in "
        "{fact}`corridor_origin` lived in {fact}`corridor_destination`.",
        "The busiest corridor in {param}`region` links two of its own countries: {fact}`corridor_migrants` "
        "migrants born in {fact}`corridor_origin` lived in {fact}`corridor_destination`."),
    ("corridor", "into"): (
        "Its largest migration corridor leads into the region: {fact}`corridor_migrants` people born in "
        "{fact}`corridor_origin` lived in {fact}`corridor_destination`.",
        "The single largest group of migrants in {param}`region` came from outside it: {fact}`corridor_migrants` "
        "people born in {fact}`corridor_origin` lived in {fact}`corridor_destination`."),
    ("corridor", "out"): (
        "Its largest migration corridor leads out of the region: {fact}`corridor_migrants` people born in "
        "{fact}`corridor_origin` lived in {fact}`corridor_destination`.",
        "The largest group of emigrants from {param}`region` lives outside it: {fact}`corridor_migrants` people "
        "born in {fact}`corridor_origin` lived in {fact}`corridor_destination`."),
}
SIGNALS = ("balance", "imm_growth", "emi_growth", "within", "female", "remittances", "displacement", "corridor")


@dataclass(frozen=True)
class Years:
    """The edition's data: migrant stock source and year, and the years of remittances, refugees and IDPs."""

    ims_source: str
    stock_year: int
    remittance_year: int
    refugee_year: int
    idp_year: int


@dataclass(frozen=True)
class Story:
    """A region's opening paragraph: the facts to record (every one, in every region) and its Markdown."""

    facts: FactSpecs
    markdown: str
    chosen: list[tuple[str, str, int]]   # (signal, variant, phrasing) in reading order


# ---------------------------------------------------------------------------------------------- indicators

@pins.memo(maxsize=4)
def indicators(y: Years) -> pd.DataFrame:
    """One row per region (index): the quantities the paragraphs compare, from the same functions as the chapter."""
    by_region = R.immigrants_by_region(y.ims_source, y.stock_year).set_index("region")["migrants"]
    world = int(by_region.sum())
    fem = gender.female_share_by_region(y.ims_source)
    fem = fem[fem["year"] == y.stock_year].set_index("region")["female_share_pct"]
    world_rem = remittances.totals(y.remittance_year)["world_usd"]
    ref = R.refugee_by_region(y.refugee_year).set_index("region")
    idp = R.idp_by_region(y.idp_year).set_index("region")
    idp_all = idp["conflict_idps"] + idp["disaster_idps"]
    rows = []
    for region in R.REGIONS:
        s = R.stock_series(y.ims_source, region, y.stock_year)
        first, last = s.iloc[0], s.iloc[-1]
        lk = R.links(y.ims_source, y.stock_year, region).set_index("group")
        others = lk.loc[[g for g in R.REGIONS if g != region]].sort_values("immigrants_from", ascending=False)
        c = R.top_corridors(y.ims_source, y.stock_year, region, 1).iloc[0]
        imm, emi = int(last["immigrants"]), int(last["emigrants"])
        rows.append({
            "region": region, "immigrants": imm, "emigrants": emi, "world": world,
            "first_year": int(first["year"]), "immigrants_first": int(first["immigrants"]),
            "emigrants_first": int(first["emigrants"]),
            "imm_change": 100 * (imm / first["immigrants"] - 1), "emi_change": 100 * (emi / first["emigrants"] - 1),
            "within_pct": 100 * lk.loc[region, "immigrants_from"] / imm,
            "other_region": others.index[0], "other_region_migrants": int(others["immigrants_from"].iloc[0]),
            "female_pct": float(fem[region]), "female_world_pct": float(fem[gender.WORLD]),
            "remit_usd": float(R.remittance_inflows(region, y.remittance_year)["usd"].sum()),
            "remit_world_usd": float(world_rem),
            "ref_hosted": float(ref.loc[region, "hosted"]), "ref_originating": float(ref.loc[region, "originating"]),
            "ref_world": float(ref["originating"].sum()),
            "idps": float(idp_all[region]), "idp_world": float(idp_all.sum()),
            "corridor_origin": c["origin_iso3"], "corridor_dest": c["dest_iso3"],
            "corridor_migrants": int(c["migrants"]), "corridor_within": bool(c["within"]),
            "corridor_into": ims.region_of().get(c["dest_iso3"]) == region,
        })
    return pd.DataFrame(rows).set_index("region")


def measures(t: pd.DataFrame) -> pd.DataFrame:
    """The value each signal compares across regions (region x signal)."""
    return pd.DataFrame({
        "balance": [math.log(i / e) for i, e in zip(t["immigrants"], t["emigrants"])],
        "imm_growth": t["imm_change"], "emi_growth": t["emi_change"], "within": t["within_pct"],
        "female": t["female_pct"], "remittances": t["remit_usd"] / t["remit_world_usd"],
        "displacement": (t["idps"] + t["ref_originating"]) / (t["idp_world"] + t["ref_world"]),
        "corridor": t["corridor_migrants"] / (t["immigrants"] + t["emigrants"]),
    }, index=t.index)[list(SIGNALS)]


def salience(t: pd.DataFrame) -> pd.DataFrame:
    """How unusual each region is on each signal: distance from the six-region mean in standard deviations."""
    m = measures(t)
    sd = m.std(ddof=0).replace(0, 1.0)
    return ((m - m.mean()) / sd).abs()


# ---------------------------------------------------------------------------------------------- wording choices

def balance_variant(immigrants: float, emigrants: float) -> str:
    """'gain' or 'loss' of migrants on balance, '_strong' when one side outnumbers the other STRONG_BALANCE times."""
    gain = immigrants > emigrants
    ratio = immigrants / emigrants if gain else emigrants / immigrants
    return ("gain" if gain else "loss") + ("_strong" if ratio >= STRONG_BALANCE else "")


def growth_variant(change_pct: float, all_changes: list[float]) -> str:
    """'fastest' or 'slowest' of the regions (when it grew), else 'rise' or 'fall'."""
    if change_pct <= 0:
        return "fall"
    if change_pct == max(all_changes):
        return "fastest"
    if change_pct == min(all_changes):
        return "slowest"
    return "rise"


def within_variant(within_pct: float) -> str:
    """'high' when at least half of the immigrants were born in the same region, else 'low'."""
    return "high" if within_pct >= 50 else "low"


def female_variant(share: float, all_shares: list[float], world: float) -> str:
    """'highest' or 'lowest' of the regions, else 'above' or 'below' the world's share."""
    if share == max(all_shares):
        return "highest"
    if share == min(all_shares):
        return "lowest"
    return "above" if share > world else "below"


def remittance_variant(remit_share: float, all_shares: list[float], emigrant_share: float) -> str:
    """'largest' share of the world's remittances, else 'above' or 'below' the region's share of emigrants."""
    if remit_share == max(all_shares):
        return "largest"
    return "above" if remit_share > emigrant_share else "below"


def displacement_variant(idp_share: float, all_idp_shares: list[float], hosted: float, originating: float) -> str:
    """'idps_most' for the region with most IDPs, else 'host' (hosts more refugees than fled it) or 'origin'."""
    if idp_share == max(all_idp_shares):
        return "idps_most"
    return "host" if hosted > originating else "origin"


def corridor_variant(within: bool, into: bool) -> str:
    """'within' the region, 'into' it (destination inside), or 'out' of it."""
    return "within" if within else ("into" if into else "out")


def variants(t: pd.DataFrame) -> pd.DataFrame:
    """The sentence variant of every signal for every region (region x signal)."""
    imm_share = t["remit_usd"] / t["remit_world_usd"]
    emi_share = t["emigrants"] / t["world"]
    idp_share = t["idps"] / t["idp_world"]
    out = {}
    for region, r in t.iterrows():
        out[region] = {
            "balance": balance_variant(r["immigrants"], r["emigrants"]),
            "imm_growth": growth_variant(r["imm_change"], list(t["imm_change"])),
            "emi_growth": growth_variant(r["emi_change"], list(t["emi_change"])),
            "within": within_variant(r["within_pct"]),
            "female": female_variant(r["female_pct"], list(t["female_pct"]), r["female_world_pct"]),
            "remittances": remittance_variant(imm_share[region], list(imm_share), emi_share[region]),
            "displacement": displacement_variant(idp_share[region], list(idp_share), r["ref_hosted"], r["ref_originating"]),
            "corridor": corridor_variant(r["corridor_within"], r["corridor_into"]),
        }
    return pd.DataFrame.from_dict(out, orient="index")[list(SIGNALS)]


def choose(sal: pd.DataFrame, var: pd.DataFrame, n: int = SENTENCES_PER_REGION) -> dict[str, list[tuple[str, str, int]]]:
    """Each region's `n` most unusual signals, most unusual first, with a phrasing no earlier region used.

    A (signal, variant) whose two phrasings are both taken is skipped for the next signal, so no sentence
    is shared between regions.
    """
    used: set[tuple[str, str, int]] = set()
    out: dict[str, list[tuple[str, str, int]]] = {}
    for region in sal.index:
        order = sorted(SIGNALS, key=lambda s: (-sal.loc[region, s], SIGNALS.index(s)))
        picked: list[tuple[str, str, int]] = []
        for signal in order:
            variant = var.loc[region, signal]
            free = [k for k in range(len(TEMPLATES[(signal, variant)])) if (signal, variant, k) not in used]
            if not picked:   # the paragraph opens with a sentence that names the region
                free = [k for k in free if NAMES_REGION in TEMPLATES[(signal, variant)][k]]
            if free:
                picked.append((signal, variant, free[0]))
            if len(picked) == n:
                break
        if len(picked) < n:  # signals skipped for the opening sentence come back after it
            rest = [s for s in order if s not in {p[0] for p in picked}]
            for signal in rest[: n - len(picked)]:
                variant = var.loc[region, signal]
                free = [k for k in range(len(TEMPLATES[(signal, variant)])) if (signal, variant, k) not in used]
                if free:
                    picked.append((signal, variant, free[0]))
        picked = sorted(picked, key=lambda p: (p != picked[0], order.index(p[0])))
        used.update(picked)
        out[region] = picked
    return out


# ---------------------------------------------------------------------------------------------- facts and paragraph

def _facts(r: pd.Series, y: Years) -> FactSpecs:
    rem_s = [*remittances.sources_for(y.remittance_year), m49.SOURCE]
    unhcr_s = [displacement.UNHCR, m49.SOURCE]
    idmc_s = [*displacement.idp_sources(y.idp_year), m49.SOURCE]
    imm, emi = r["immigrants"], r["emigrants"]
    first = int(r["first_year"])
    f = FactSpecs(year=y.stock_year, sources=[y.ims_source, m49.SOURCE])
    f.add("immigrants", imm, "persons", "millions")
    f.add("emigrants", emi, "persons", "millions")
    f.add("balance_ratio", max(imm, emi) / min(imm, emi), "ratio", display=f"{max(imm, emi) / min(imm, emi):.1f}",
          note="the larger of immigrants and emigrants over the smaller")
    f.year_of("first_year", first)
    f.add("immigrants_first", r["immigrants_first"], "persons", "compact", year=first)
    f.add("emigrants_first", r["emigrants_first"], "persons", "compact", year=first)
    f.add("imm_change_pct", abs(r["imm_change"]), "percent", "percent", display=f"{abs(r['imm_change']):.0f}%")
    f.add("emi_change_pct", abs(r["emi_change"]), "percent", "percent", display=f"{abs(r['emi_change']):.0f}%")
    f.add("within_imm_pct", r["within_pct"], "percent", "percent")
    f.add("top_other_origin_region", r["other_region"], "region", "text")
    f.add("top_other_origin_region_migrants", r["other_region_migrants"], "persons", "compact")
    f.add("female_share_pct", r["female_pct"], "percent", "percent")
    f.add("female_share_world_pct", r["female_world_pct"], "percent", "percent")
    f.add("emigrants_world_share", 100 * emi / r["world"], "percent", "percent")
    f.add("remit_total", r["remit_usd"], "US$ (current)", "usd_billions", year=y.remittance_year, sources=rem_s)
    f.add("remit_world_share", 100 * r["remit_usd"] / r["remit_world_usd"], "percent", "percent",
          year=y.remittance_year, sources=rem_s)
    f.add("refugees_hosted", r["ref_hosted"], "persons", "compact", year=y.refugee_year, sources=unhcr_s)
    f.add("refugees_originating", r["ref_originating"], "persons", "compact", year=y.refugee_year, sources=unhcr_s)
    f.add("refugees_world_share", 100 * r["ref_originating"] / r["ref_world"], "percent", "percent",
          year=y.refugee_year, sources=unhcr_s)
    f.add("idps_total", r["idps"], "persons", "compact", year=y.idp_year, sources=idmc_s,
          note="conflict and violence plus disasters")
    f.add("idps_world_share", 100 * r["idps"] / r["idp_world"], "percent", "percent", year=y.idp_year, sources=idmc_s)
    f.add("corridor_origin", in_text(r["corridor_origin"]), "country", "text", note=r["corridor_origin"])
    f.add("corridor_destination", in_text(r["corridor_dest"]), "country", "text", note=r["corridor_dest"])
    f.add("corridor_migrants", r["corridor_migrants"], "persons", "compact")
    return f


def story(y: Years, region: str) -> Story:
    """The opening paragraph of a region's section and the facts it may cite (the same names in every region)."""
    t = indicators(y)
    if region not in t.index:
        raise ConfigError(f"Unknown region '{region}'.", expected=list(R.REGIONS), got=region,
                          fix="use a region of the edition's regions chapter")
    chosen = choose(salience(t), variants(t))[region]
    text = " ".join(TEMPLATES[(s, v)][k] for s, v, k in chosen)
    return Story(_facts(t.loc[region], y), text, chosen)


# ---------------------------------------------------------------------------------------------- the chapter's opening

def _listed(facts: FactSpecs, prefix: str, rows: list[tuple[str, float]], unit: str, fmt_: str, note: str) -> str:
    """Add facts '<prefix>_<i>' (a name) and '<prefix>_<i>_n' (its number) and return the text 'A (x) and B (y)'."""
    roles = []
    for i, (label, value) in enumerate(rows, start=1):
        facts.add(f"{prefix}_{i}", label, "name", "text", note=note)
        facts.add(f"{prefix}_{i}_n", value, unit, fmt_)
        roles.append(f"{{fact}}`{prefix}_{i}` ({{fact}}`{prefix}_{i}_n`)")
    return R.join_names(roles)


OPENING = {
    "stock_none": "Every place in the migrant stock estimates belongs to one of the six regions, so the six regional "
                  "totals add up exactly to the world total of {fact}`world_total`.",
    "stock_some": "Some places appear in the migrant stock estimates but belong to no region: {list}. Their "
                  "{fact}`unallocated_total` international migrants count in the world total of {fact}`world_total` "
                  "but in no region.",
    "remittances": "Likewise, remittances received by {list} count in the world total but in no region.",
    "idps": "The same holds for the internally displaced persons recorded in {list}.",
    "refugees": "UNHCR records {fact}`refugee_unallocated` refugees whose origin is not a country: {list}. They "
                "count in world totals but in no region.",
    "unknown": "A further {fact}`unknown_origin_world` migrants have no specified country of origin: they count "
               "where they live, but among no region's emigrants.",
}


def opening(y: Years) -> Story:
    """World-level facts of the chapter's opening (most immigrants and emigrants by region, what lies outside the
    regions) and its coverage paragraph, worded by whether anything lies outside the regions."""
    outside = "outside the M49 regions"
    t = indicators(y)
    imm_top, emi_top = t["immigrants"].idxmax(), t["emigrants"].idxmax()
    unalloc = R.unallocated_stock(y.ims_source, y.stock_year)
    unknown = R.emigrants_by_region(y.ims_source, y.stock_year).set_index("region").loc[R.NOT_SPECIFIED, "migrants"]
    facts = FactSpecs(year=y.stock_year, sources=[y.ims_source, m49.SOURCE])
    facts.add("world_total", int(t["world"].iloc[0]), "persons", "millions")
    facts.add("most_immigrants_region", imm_top, "region", "text")
    facts.add("most_immigrants_region_n", int(t.loc[imm_top, "immigrants"]), "persons", "millions")
    facts.add("most_emigrants_region", emi_top, "region", "text")
    facts.add("most_emigrants_region_n", int(t.loc[emi_top, "emigrants"]), "persons", "millions")
    facts.add("unallocated_total", int(unalloc["immigrants"].sum()), "persons", "compact")
    facts.add("unknown_origin_world", int(unknown), "persons", "millions")
    rows = [(r.name, int(r.immigrants)) for r in unalloc.itertuples() if r.immigrants > 0]
    listed = _listed(facts, "unallocated_place", rows, "persons", "compact", outside)
    text = [OPENING["stock_some"].replace("{list}", listed) if rows else OPENING["stock_none"]]
    rem = R.remittance_unallocated(y.remittance_year)
    f = FactSpecs(year=y.remittance_year, sources=[*remittances.sources_for(y.remittance_year), m49.SOURCE])
    listed = _listed(f, "remit_unallocated", [(r.name, r.usd) for r in rem.itertuples()], "US$ (current)",
                     "usd_billions", outside)
    facts += f
    text += [OPENING["remittances"].replace("{list}", listed)] if listed else []
    idp = R.idp_unallocated(y.idp_year)
    f = FactSpecs(year=y.idp_year, sources=[*displacement.idp_sources(y.idp_year), m49.SOURCE])
    listed = _listed(f, "idp_unallocated", [(r.name, r.conflict_idps + r.disaster_idps) for r in idp.itertuples()],
                     "persons", "compact", outside)
    facts += f
    text += [OPENING["idps"].replace("{list}", listed)] if listed else []
    ref = R.refugee_unallocated(y.refugee_year).sort_values("name")
    f = FactSpecs(year=y.refugee_year, sources=[displacement.UNHCR, m49.SOURCE])
    if len(ref):
        f.add("refugee_unallocated", float(ref["originating"].sum() + ref["hosted"].sum()), "persons", "compact")
    listed = _listed(f, "refugee_unallocated", [(r.name, r.originating + r.hosted) for r in ref.itertuples()],
                     "persons", "compact", "a UNHCR origin that is no country")
    if listed:
        facts += f
        text.append(OPENING["refugees"].replace("{list}", listed))
    text.append(OPENING["unknown"])
    return Story(facts, " ".join(text), [])
