"""Finding activity files in folders and zips (read in place) and joining Strava's activities.csv."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

from builders import gpx, morning, straight_run, strava_csv, tcx
from stridewise.sources import Problem, SourceFile, discover


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sources(paths: list[Path]) -> list[SourceFile]:
    items = list(discover(paths))
    return [i for i in items if isinstance(i, SourceFile)]


def test_strava_bulk_export_zip_is_read_in_place_with_name_type_and_gear(tmp_path: Path) -> None:
    run = straight_run(morning(1), distance_m=1000, pace_s_per_km=330)
    export = tmp_path / "export_123.zip"
    export.write_bytes(_zip({
        "activities.csv": strava_csv([("Hill reps", "Trail Run", "Speedgoat 5", "activities/11.gpx.gz"),
                                      ("Easy", "Run", "Pegasus 40", "activities/12.tcx")]).encode(),
        "activities/11.gpx.gz": gzip.compress(gpx(run)),
        "activities/12.tcx": tcx(run),
        "media/photo.jpg": b"\xff\xd8",
    }))
    before = sorted(tmp_path.iterdir())
    sources = _sources([export])
    assert [s.chain[1:] for s in sources] == [("activities/11.gpx.gz",), ("activities/12.tcx",)]
    assert [(s.hints.name, s.hints.type, s.hints.gear) for s in sources if s.hints] == [
        ("Hill reps", "Trail Run", "Speedgoat 5"), ("Easy", "Run", "Pegasus 40")]
    assert sources[0].key == f"{export}!activities/11.gpx.gz"
    assert gzip.decompress(sources[0].read()) == gpx(run)
    assert sorted(tmp_path.iterdir()) == before, "nothing is extracted to disk"


def test_garmin_export_nested_zips_are_followed(tmp_path: Path) -> None:
    run = gpx(straight_run(morning(2), distance_m=500, pace_s_per_km=330))
    inner = _zip({"run_1.gpx": run})
    outer = tmp_path / "garmin_export.zip"
    outer.write_bytes(_zip({"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner}))
    (source,) = _sources([outer])
    assert source.chain == (str(outer), "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
                            "run_1.gpx")
    assert source.read() == run


def test_folder_walk_joins_activities_csv_by_relative_path_and_ignores_other_files(tmp_path: Path) -> None:
    (tmp_path / "garmin").mkdir()
    (tmp_path / "garmin" / "2026-07-01.fit").write_bytes(b"x")
    (tmp_path / "garmin" / "notes.txt").write_text("not an activity")
    (tmp_path / "b.GPX").write_bytes(b"x")
    (tmp_path / "activities.csv").write_text(strava_csv([("Tempo", "Run", "Vaporfly 3", "garmin/2026-07-01.fit")]))
    sources = _sources([tmp_path])
    assert [Path(s.key).name for s in sources] == ["b.GPX", "2026-07-01.fit"]
    assert sources[0].hints is None
    assert sources[1].hints is not None and sources[1].hints.gear == "Vaporfly 3"


def test_localized_strava_header_falls_back_to_column_positions(tmp_path: Path) -> None:
    header = ("Aktivitäts-ID,Datum,Name,Typ,Beschreibung,Zeit,Distanz,Max. Herzfrequenz,Relative Effort,Pendeln,"
              "Private Notiz,Ausrüstung,Dateiname")
    (tmp_path / "activities.csv").write_text(header + '\n1,"1. Juli 2026",Abendlauf,Lauf,,1,1,,,false,,Pegasus 40,'
                                             "activities/1.gpx\n")
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "1.gpx").write_bytes(b"x")
    (source,) = _sources([tmp_path])
    assert source.hints is not None and (source.hints.name, source.hints.gear) == ("Abendlauf", "Pegasus 40")


def test_missing_path_and_broken_zip_are_problems_not_exceptions(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    items = list(discover([tmp_path / "nope", tmp_path / "bad.zip"]))
    assert [(type(i), i.reason.split(" (")[0]) for i in items if isinstance(i, Problem)] == [
        (Problem, "no such file or folder"), (Problem, "not a readable zip archive")]
