"""The streaming lxml GPX/TCX readers against their references (gpxpy, ElementTree) on every real file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import TESTS_DATA, real_log_params
from stridewise import columns as col
from stridewise.errors import InputError
from stridewise.model import Activity, track_distance_m
from stridewise.parsers.gpx import parse_gpx
from stridewise.parsers.tcx import parse_tcx
from stridewise.parsers.xmltext import _NAIVE_TIME_BYTES, has_naive_time

DEVICES = TESTS_DATA / "devices"
# Real files the fast readers hand to the reference, and why (each a case the fast path does not mirror).
DECLINED = {
    "sportslib__6037744996.gpx": "Namespace prefix gpxdata",  # undeclared prefix: the reference repairs it
    "togeojson__bad.gpx": "could not convert string to float: 'undefined'",  # the reference words the error
    "gpxpy__Mojstrovka.gpx": "not ISO 8601",  # GPSBabel times without a 'T'
    "gpsbabel__course.tcx": "outside Activity/Lap/Track",  # a course
    "togeojson__tcx-courses.tcx": "outside Activity/Lap/Track",
}

Reader = Callable[..., list[Activity]]


def _xml_params() -> list[object]:
    params = real_log_params("gpx", ".gpx") + real_log_params("tcx", ".tcx") + real_log_params("broken", ".gpx",
                                                                                                 ".tcx")
    params += [pytest.param(p, id=f"devices/{p.name}") for p in sorted(DEVICES.glob("*.gpx"))]
    return params + [pytest.param(p, id=f"devices/{p.name}") for p in sorted(DEVICES.glob("*.tcx"))]


def _read(reader: Reader, data: bytes, name: str, mode: str) -> list[Activity] | InputError:
    try:
        return reader(data, name, reader=mode)
    except InputError as exc:
        return exc


@pytest.mark.parametrize("path", _xml_params())
def test_fast_reader_gives_what_the_reference_gives(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    reader: Reader = parse_gpx if path.suffix == ".gpx" else parse_tcx
    data = path.read_bytes()
    with caplog.at_level(logging.INFO, logger="stridewise.parsers"):
        fast = _read(reader, data, path.name, "auto")
    declined = [r.getMessage() for r in caplog.records if "declined" in r.getMessage()]
    if path.name in DECLINED:
        assert len(declined) == 1 and DECLINED[path.name] in declined[0]
    else:
        assert not declined, declined
    reference = _read(reader, data, path.name, "reference")
    if isinstance(reference, InputError) or isinstance(fast, InputError):
        assert (type(fast), str(fast)) == (type(reference), str(reference))
        return
    assert len(fast) == len(reference)
    for mine, theirs in zip(fast, reference, strict=True):
        assert {k: v for k, v in vars(mine).items() if k != "stream"} == \
            {k: v for k, v in vars(theirs).items() if k != "stream"}
        assert (mine.stream[col.TIME] == theirs.stream[col.TIME]).all()
        pd.testing.assert_frame_equal(mine.stream, theirs.stream, check_exact=False, rtol=1e-12)
        np.testing.assert_allclose(track_distance_m(mine.stream), track_distance_m(theirs.stream), rtol=1e-9)


GPX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<gpx version="1.1" creator="test" '
            'xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>{name}</name><trkseg>\n')
POINT = ('<trkpt lat="60.1{i:04d}" lon="24.9"><ele>10</ele><time>2026-05-01T06:{m:02d}:{s:02d}Z</time>'
         '{extensions}</trkpt>\n')
GPX_TAIL = "</trkseg></trk></gpx>\n"


def gpx(points: int = 3, *, name: str = "run", doctype: str = "", extensions: str = "") -> bytes:
    body = "".join(POINT.format(i=i, m=i // 60, s=i % 60, extensions=extensions) for i in range(points))
    return (GPX_HEAD.format(doctype=doctype, name=name) + body + GPX_TAIL).encode()


@pytest.fixture
def no_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hostile input must be refused before either reference reader (gpxpy, ElementTree) sees it."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a reference reader was reached")
    monkeypatch.setattr("stridewise.parsers.gpx._read_reference", refuse)
    monkeypatch.setattr("stridewise.parsers.tcx._read_reference", refuse)


def test_a_small_generated_gpx_reads_on_the_fast_path(no_reference: None) -> None:
    [activity] = parse_gpx(gpx(3), "ok.gpx")
    assert len(activity.stream) == 3 and activity.name == "run"
    assert activity.stream[col.LAT].tolist() == [60.1, 60.10001, 60.10002]  # lat="60.1{i:04d}"


@pytest.mark.parametrize("reader", ["auto", "reference"])
def test_deep_nesting_is_refused_without_recursing(reader: str, no_reference: None) -> None:
    # The input of issue 10 that killed the process with SIGSEGV: 150,000 nested elements in <extensions>.
    deep = "<extensions>" + "<a>" * 150_000 + "</a>" * 150_000 + "</extensions>"
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(1, extensions=deep), "deep.gpx", reader=reader)  # type: ignore[arg-type]
    assert caught.value.reason == "XML nested deeper than 256 elements; no GPX or TCX file is"


def test_deep_nesting_after_a_syntax_error_never_reaches_the_reference(no_reference: None) -> None:
    # lxml stops at the undeclared prefix (the fast path then declines); the depth scan refuses before gpxpy.
    deep = "<extensions><x:hr>1</x:hr>" + "<a>" * 150_000 + "</a>" * 150_000 + "</extensions>"
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(1, extensions=deep), "deep.gpx")
    assert caught.value.reason == "XML nested deeper than 256 elements; no GPX or TCX file is"


def test_deep_tcx_is_refused(no_reference: None) -> None:
    deep = "<a>" * 300 + "</a>" * 300
    data = (f'<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running">{deep}'
            "</Activity></Activities></TrainingCenterDatabase>").encode()
    with pytest.raises(InputError) as caught:
        parse_tcx(data, "deep.tcx")
    assert caught.value.reason == "XML nested deeper than 256 elements; no GPX or TCX file is"


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',  # XXE
    '<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n',  # billion laughs, cut short
])
def test_entity_declarations_are_refused(doctype: str, no_reference: None) -> None:
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(2, doctype=doctype, name="&c;"), "entities.gpx")
    assert caught.value.reason == "XML declares entities (<!ENTITY>); GPX and TCX files never do, so it is not read"


@pytest.mark.parametrize("reader", ["auto", "reference"])
def test_xinclude_is_never_resolved(reader: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    name = f'run<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'
    [activity] = parse_gpx(gpx(2, name=name), "xinclude.gpx", reader=reader)  # type: ignore[arg-type]
    assert activity.name == "run"
    assert "SECRET" not in repr(vars(activity))


def test_too_many_elements_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch, no_reference: None) -> None:
    monkeypatch.setattr("stridewise.parsers.xmlstream.MAX_XML_ELEMENTS", 100)
    # 3 elements per point (trkpt, ele, time), gpx, trk, name, trkseg, and the declaration counted as one.
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(50), "many.gpx")
    assert caught.value.reason == "XML has more than 100 elements (155); no recording is that long"


def test_one_huge_point_is_refused_while_streaming(no_reference: None) -> None:
    flat = "<extensions>" + "<a/>" * 150_000 + "</extensions>"
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(1, extensions=flat), "flat.gpx")
    assert caught.value.reason == "one <trkpt> holds more than 100,000 elements; no GPX or TCX element does"


def test_a_long_recording_streams_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3,000 points in 4 KB chunks: about 80 prunings, and every point and its time survive them.
    monkeypatch.setattr("stridewise.parsers.xmlstream.CHUNK_BYTES", 4096)
    [activity] = parse_gpx(gpx(3000), "long.gpx")
    assert len(activity.stream) == 3000
    assert (activity.stream[col.TIME].diff().dt.total_seconds().iloc[1:] == 1.0).all()


def test_more_points_than_a_week_at_1_hz_are_refused(monkeypatch: pytest.MonkeyPatch, no_reference: None) -> None:
    monkeypatch.setattr("stridewise.parsers.xmlstream.MAX_POINTS", 40)
    with pytest.raises(InputError) as caught:
        parse_gpx(gpx(50), "long.gpx")
    assert caught.value.reason == "50 track points, more than a week at one per second (40); not a single recording"


def test_a_file_that_names_no_root_in_its_first_megabyte_is_refused(no_reference: None) -> None:
    # Sniffed as GPX from a comment, but its root is something else: nothing could be pruned while reading it.
    data = b'<?xml version="1.0"?>\n<!-- <gpx -->\n<junk>' + b"<a/>" * 300_000 + b"</junk>"
    with pytest.raises(InputError) as caught:
        parse_gpx(data, "junk.gpx")
    assert caught.value.reason == "no <gpx> element in the first 1 MB"


def test_a_large_file_the_fast_reader_declines_is_not_handed_to_the_reference(
        monkeypatch: pytest.MonkeyPatch, no_reference: None) -> None:
    monkeypatch.setattr("stridewise.parsers.xmlstream.MAX_REFERENCE_BYTES", 2**20)
    data = gpx(12_000).replace(b"<gpx ", b"<gpx xmlns:x='urn:x' ", 1).replace(b"<ele>10</ele>", b"<y:ele>10</y:ele>", 1)
    with pytest.raises(InputError) as caught:
        parse_gpx(data, "undeclared.gpx")  # an undeclared prefix: only the repairing reference could read it
    assert caught.value.reason == "an XML file over 1 MB that only the repairing reader could read; it is not read"


@pytest.mark.parametrize(("text", "naive"), [
    ("<trkpt><time>2026-05-01T06:00:00Z</time></trkpt>", False),
    ("<trkpt><time>2026-05-01T06:00:00</time></trkpt>", True),
    ("<trkpt><time> 2026-05-01T06:00:00.250 </time></trkpt>", True),
    ("<trkpt><time>2026-05-01T06:00:00+02:00</time></trkpt>", False),
    ("<Trackpoint><Time>2026-05-01T06:00</Time></Trackpoint>", True),
    ("<a:Time>2026-05-01T06:00:00</a:Time>", True),
    ("<a_very_long_prefix_of_a_namespace_v2:time>2026-05-01T06:00:00</a_very_long_prefix_of_a_namespace_v2:time>",
     True),
    ("<Id>2026-05-01T06:00:00</Id>", True),
    ("<Id>2026-05-01T06:00:00Z</Id>", False),
    ('<Lap StartTime="2026-05-01T06:00:00">', True),
    ('<Lap StartTime="2026-05-01T06:00:00Z">', False),
    ("<Datetime>2026-05-01T06:00:00</Datetime>", False),  # the hint "ime>" without <time>: not a track time
    ("<a:b:time>2026-05-01T06:00:00</a:b:time>", False),
    ("<time>2026-05-01T06:00:00Z</time><Datetime>2026-05-01T06:00:00</Datetime><Id>2026-05-01T06:00:00</Id>", True),
])
def test_naive_times_are_found_from_hints_as_the_full_pattern_finds_them(text: str, naive: bool) -> None:
    data = text.encode()
    assert has_naive_time(data) is naive
    assert bool(_NAIVE_TIME_BYTES.search(data)) is naive


def test_naive_times_are_found_from_hints_in_every_real_file() -> None:
    files = [param.values[0] for param in _xml_params()]  # type: ignore[attr-defined]
    found = {path.name: has_naive_time(path.read_bytes()) for path in files}
    assert found == {path.name: bool(_NAIVE_TIME_BYTES.search(path.read_bytes())) for path in files}
    assert sum(found.values()) == 2  # two real files write local times
