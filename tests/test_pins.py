import json

import pytest

from wmr.core.errors import PinError
from wmr.kernel import pins

from .conftest import REAL_MIRROR, replace_with_copy


def test_every_pinned_file_is_in_the_mirror():
    """The mirror may hold more than the manifest (it grows); every pin must be there."""
    manifest = pins.load_manifest()
    pinned = {f"{sid}/{f.name}" for sid, s in manifest.items() for f in s.files if not f.owned_path}
    on_disk = {str(p.relative_to(REAL_MIRROR)) for p in REAL_MIRROR.rglob("*") if p.is_file()}
    assert pinned and pinned <= on_disk


@pytest.mark.parametrize("sid, name, sha", [
    ("undesa-ims-2024", "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
     "894fe0637f649e9eb2555915e7f5d6e9818a913b7653c8d7b5e3803fc236ce82"),
    ("iom-gdidata", "idmc_stocks.rda", "73e193c5e46be36bfd825b856ea22ebf46a04d1bf77f2a4b14a689048d8617a9"),
    ("wb-knomad-data360", "WB_KNOMAD.csv", "c8d8f970c08d6d1f29329aa669785e2fb01103b5173fbf83619568d216e87ea8"),
    ("ocha-country-taxonomy", "ocha-countries-territories-taxonomy.csv",
     "d24479bf1db7fd39fe8126a4d3284e197c9d718841f413c96990e2642b28a41a"),
])
def test_new_sources_are_pinned_with_provenance(sid, name, sha):
    s = pins.source(sid)
    assert s.publisher and s.license and s.citation
    f = s.file(name)
    assert f.sha256 == sha
    assert f.retrieved_from["repo"] and f.download_url.startswith("https://raw.githubusercontent.com/")


def test_extra_mirror_folder_is_listed_as_unpinned_not_an_error(mirror_copy):
    extra = mirror_copy / "someone-elses-source"
    extra.mkdir()
    (extra / "data.csv").write_text("a,b\n1,2\n")
    assert "someone-elses-source" in pins.unpinned_folders()
    assert all(r.ok for r in pins.verify_all())


def test_verify_command_lists_unpinned_folders(mirror_copy):
    import subprocess
    import sys

    (mirror_copy / "zz-new-source").mkdir()
    env = {**__import__("os").environ, "WMR_DATA_MIRROR": str(mirror_copy), "WMR_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, str(pins.paths.project_root() / "build.py"), "verify"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "unpinned" in proc.stdout and "zz-new-source" in proc.stdout


def test_manifest_carries_provenance_from_source_toml():
    s = pins.source("undesa-ims-2024-bilateral")
    assert "CC BY 3.0 IGO" in s.license
    assert "International Migrant Stock 2024" in s.citation
    f = s.file("undesa_stocks.rda")
    assert f.sha256 == "80e7d03931728f4bed908e7397f887a48e8661703967f5eafc1ed1e3d70cc40c"
    assert f.bytes == 241812
    assert f.retrieved_from["repo"] == "iom/gdidata"
    assert f.download_url.endswith("/data/undesa_stocks.rda")


def test_all_real_pins_verify():
    results = pins.verify_all()
    assert [r.source for r in results if not r.ok] == []
    assert len(results) == len(pins.load_manifest())


def test_changed_byte_is_reported_with_the_file_name(mirror_copy):
    path = replace_with_copy(mirror_copy, "free-movement/ecowas.csv")
    data = bytearray(path.read_bytes())
    data[10] = data[10] ^ 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(PinError) as exc:
        pins.resolve("free-movement", "ecowas.csv")
    msg = exc.value.message()
    assert "free-movement/ecowas.csv" in msg
    assert "1d2636f8a84e1782ce31feb2d4109eea160e106fba6908c9c9b40c1e744ff91d" in msg
    assert "fix:" in msg


def test_changed_size_is_reported(mirror_copy):
    path = replace_with_copy(mirror_copy, "free-movement/schengen.csv")
    path.write_bytes(path.read_bytes() + b"\n")
    results = {r.source: r for r in pins.verify_all(["free-movement"])}
    assert not results["free-movement"].ok
    assert "schengen.csv" in results["free-movement"].problem and "wrong size" in results["free-movement"].problem


def test_missing_file_without_network_names_file(mirror_copy, monkeypatch):
    (mirror_copy / "free-movement" / "ecowas.csv").unlink()
    monkeypatch.setattr(pins, "_download", lambda pin, target: (_ for _ in ()).throw(
        PinError(f"Pinned file {pin.source}/{pin.name} is not in the mirror and could not be downloaded.")))
    with pytest.raises(PinError, match="free-movement/ecowas.csv"):
        pins.resolve("free-movement", "ecowas.csv")


def test_missing_mirror_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("WMR_DATA_MIRROR", str(tmp_path / "nowhere"))
    monkeypatch.setattr(pins.paths, "cache_dir", lambda: tmp_path / "cache")  # no file fetched earlier may answer
    monkeypatch.setattr(pins, "_download", lambda pin, target: (_ for _ in ()).throw(
        PinError(f"Pinned file {pin.source}/{pin.name} is not in the mirror and could not be downloaded.",
                 fix="set WMR_DATA_MIRROR")))
    with pytest.raises(PinError, match="WMR_DATA_MIRROR"):
        pins.resolve("unsd-m49", "m49-overview.csv")


def test_verification_is_remembered_until_size_or_mtime_change(mirror_copy, monkeypatch):
    path = replace_with_copy(mirror_copy, "free-movement/ecowas.csv")
    pins.resolve("free-movement", "ecowas.csv")
    calls = []
    real = pins.sha256_of
    monkeypatch.setattr(pins, "sha256_of", lambda p: calls.append(p) or real(p))
    pins.resolve("free-movement", "ecowas.csv")
    assert calls == []  # unchanged size and mtime: not hashed again
    stat = path.stat()
    import os
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    pins.resolve("free-movement", "ecowas.csv")
    assert len(calls) == 1


def test_read_log_records_what_was_read(tmp_path, monkeypatch):
    log = tmp_path / "reads"
    monkeypatch.setenv(pins.READ_LOG_ENV, str(log))
    pins.resolve("unsd-m49", "m49-overview.csv")
    line = log.read_text().strip()
    assert line == "unsd-m49/m49-overview.csv\t" + pins.source("unsd-m49").file("m49-overview.csv").sha256


def test_unknown_source_lists_known_ids():
    with pytest.raises(PinError) as exc:
        pins.source("undesa-ims-1999")
    assert "undesa-ims-2024-bilateral" in str(exc.value.expected)


def test_manifest_json_is_committed_and_sorted():
    raw = json.loads(pins.manifest_path().read_text())
    ids = [s["id"] for s in raw["sources"]]
    assert ids == sorted(ids)


def test_a_memoised_result_logs_its_reads_again_the_first_time_each_run_uses_it(tmp_path, monkeypatch):
    """What a kept kernel records must be what a new kernel would: in a new kernel the first call in a run
    reads the files (a cache miss) and later calls read nothing (hits)."""
    log = tmp_path / "reads"
    monkeypatch.setenv(pins.READ_LOG_ENV, str(log))
    m49, ocha = "unsd-m49/m49-overview.csv", "ocha-country-taxonomy/ocha-countries-territories-taxonomy.csv"

    @pins.memo()
    def inner():
        return pins.resolve(*m49.split("/")).name

    @pins.memo()
    def outer():
        pins.resolve(*ocha.split("/"))
        return inner()

    def run(*calls):
        pins.start_run()
        log.write_text("")
        for call in calls:
            call()
        return [line.split("\t")[0] for line in log.read_text().splitlines()], pins.reads()

    assert run(outer, inner, outer) == ([ocha, m49], [ocha, m49])   # computed: read once
    assert run(outer, inner, outer) == ([ocha, m49], [ocha, m49])   # cached: the same reads logged, once
    assert run(inner, outer) == ([m49, ocha], [m49, ocha])          # a new kernel: inner read, then outer's own file
    assert run() == ([], [])
