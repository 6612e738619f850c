"""Whole-process and XML figures of the ingest benchmark, each beside its floor or peer (see ingest.py).

Every figure comes from fresh processes: wall time of the process, and memory as the growth of the peak resident set
during the work (``ru_maxrss`` after minus before, so the interpreter and imports are not counted) -- tracemalloc
does not see what libxml2 allocates. ``--before SRC`` runs the same whole-process figures on another source tree
(e.g. a worktree of the commit before a change), turns alternated, for before/after ratios.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REAL_LOGS = Path(__file__).resolve().parent.parent.parent / "shared" / "real_logs"
SRC = Path(__file__).resolve().parent.parent / "src"
STRIDEWISE = "import sys; from stridewise.cli import main; sys.argv = ['stridewise', *sys.argv[1:]]; main()"
FITPARSE_LOOP = ("import gzip, sys, fitparse\nfor p in sys.argv[1:]:\n"
                 "    f = gzip.open(p) if p.endswith('.gz') else p\n"
                 "    for m in fitparse.FitFile(f).get_messages(): m.get_values()\n")
# In a fresh process: import what the reader needs, read the file, then time the reader and the peak RSS growth.
MEASURE = """
import sys, time
from pathlib import Path
{setup}

def status(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key)) / 1024

paths = [Path(p) for p in sys.argv[1:]]
datas = [p.read_bytes() for p in paths]
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # resets the peak resident set (VmHWM) to the current one (Linux >= 4.0)
before = status("VmRSS:")
began = time.perf_counter()
for path, data in zip(paths, datas):
    {call}
spent = time.perf_counter() - began
print(spent, status("VmHWM:") - before)
"""
XML_READERS = {
    "stridewise (fast lxml path)": ("from stridewise.parsers import parse_bytes", "parse_bytes(data, path.name)"),
    "  of which the XML pass (read_gpx/tcx)": (
        "from stridewise.parsers.gpxfast import read_gpx\nfrom stridewise.parsers.tcxfast import read_tcx",
        "(read_gpx if path.suffix == '.gpx' else read_tcx)(data, path.name)"),
    "gpxpy / ElementTree reference": (
        "from stridewise.parsers.gpx import parse_gpx\nfrom stridewise.parsers.tcx import parse_tcx",
        "(parse_gpx if path.suffix == '.gpx' else parse_tcx)(data, path.name, reader='reference')"),
    "bare lxml pass (tree, no work)": (
        "from lxml import etree\nparser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)",
        "etree.fromstring(data, parser)"),
    "bare lxml streaming pass": (  # the usual iterparse idiom: every element cleared and unlinked, nothing read
        "import io\nfrom lxml import etree",
        "for _, e in etree.iterparse(io.BytesIO(data), resolve_entities=False, no_network=True):\n"
        "        e.clear()\n"
        "        while e.getprevious() is not None:\n"
        "            del e.getparent()[0]"),
}
REPEATS = 5
COLD_REPEATS = 3  # a cold ingest takes seconds; three turns each give a stable median


def run(code: str, args: list[str], src: Path = SRC) -> tuple[float, str]:
    """Wall seconds of a fresh Python process running ``code`` with ``src`` first on the path, and its stdout."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - began, done.stdout


def measure(readers: dict[str, tuple[str, str]], paths: list[Path],
            trees: dict[str, Path] | None = None) -> dict[str, tuple[float, float]]:
    """Per reader, median seconds and median peak-RSS growth (MB) over ``paths`` in fresh processes, the readers
    taking turns so that load from elsewhere on the machine hits them alike. ``trees`` names the source tree of a
    reader where it is not this one."""
    results: dict[str, list[tuple[float, ...]]] = {label: [] for label in readers}
    for _ in range(REPEATS):
        for label, (setup, call) in readers.items():
            src = (trees or {}).get(label, SRC)
            _, out = run(MEASURE.format(setup=setup, call=call), [str(p) for p in paths], src)
            results[label].append(tuple(float(x) for x in out.split()))
    return {label: (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows))
            for label, rows in results.items()}


def cold_fit_ingest(before: Path | None, fitparse_loop: bool) -> None:
    files = sorted(p for p in (REAL_LOGS / "fit").iterdir() if p.name.lower().endswith((".fit", ".fit.gz")))
    trees = {"after (this tree)": SRC, **({"before": before} if before else {})}
    times: dict[str, list[float]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "fit"
        folder.mkdir()
        for path in files:
            (folder / path.name).symlink_to(path)
        for turn in range(COLD_REPEATS):
            for label, src in trees.items():  # turns alternated, so that load on the machine hits both alike
                db = Path(scratch) / f"{turn}-{label[:5]}.sqlite3"
                times[label].append(run(STRIDEWISE, ["ingest", str(folder), "--db", str(db), "--jobs", "1"], src)[0])
        floor = run(FITPARSE_LOOP, [str(p) for p in files])[0] if fitparse_loop else float("nan")
    print(f"\ncold ingest of the {len(files)} real FIT files, whole process, --jobs 1 (median of {COLD_REPEATS})")
    print(f"{'run':<34} {'s':>7} {'x fitparse loop':>16}")
    for label, spent in times.items():
        median = statistics.median(spent)
        print(f"{'stridewise ingest, ' + label:<34} {median:>7.2f} {floor / median:>16.1f}")
    print(f"{'plain fitparse loop (one run)':<34} {floor:>7.2f} {1:>16.1f}")


def largest(folder: str, suffix: str, count: int = 5) -> list[Path]:
    return sorted((REAL_LOGS / folder).glob("*" + suffix), key=lambda p: p.stat().st_size)[-count:]


def xml_readers(before: Path | None = None) -> None:
    """The fast readers beside gpxpy/ElementTree and bare lxml passes; with ``before``, the fast path of that source
    tree too, in the same turns."""
    readers = dict(XML_READERS)
    trees = {}
    if before is not None:
        label = "stridewise (fast lxml path), before"
        readers = {label: XML_READERS["stridewise (fast lxml path)"], **readers}
        trees[label] = before
    for suffix, folder in ((".gpx", "gpx"), (".tcx", "tcx")):
        paths = largest(folder, suffix)
        mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"\nthe 5 largest {suffix[1:].upper()} ({mb:.1f} MB), in fresh processes (median of {REPEATS}): "
              "parse time and peak memory growth")
        print(f"{'reader':<34} {'s':>7} {'MB':>7} {'x time of tree':>15} {'x memory of tree':>17}")
        rows = measure(readers, paths, trees)
        floor_s, floor_mb = rows["bare lxml pass (tree, no work)"]
        for label, (spent, grown) in rows.items():
            print(f"{label:<34} {spent:>7.3f} {grown:>7.1f} {spent / floor_s:>15.2f} {grown / floor_mb:>17.2f}")


def big_gpx(folder: Path, days: int = 24) -> Path:
    """A 1 Hz GPX of ``days`` days (about 200 MB for 24): an hour-long loop, with elevation, no extensions."""
    path = folder / f"big-{days}d.gpx"
    seconds = np.arange(days * 86400)
    start = pd.Timestamp("2026-05-01T00:00:00Z")
    stamps = (start + pd.to_timedelta(seconds, unit="s")).strftime("%Y-%m-%dT%H:%M:%SZ")
    angle = seconds / 3600 * 2 * np.pi
    with path.open("w") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="benchmark" '
                  'xmlns="http://www.topografix.com/GPX/1/1">\n'
                  "<trk><name>24 days</name><type>running</type><trkseg>\n")
        for begin in range(0, len(seconds), 100_000):
            part = slice(begin, begin + 100_000)
            lat, lon = 60.17 + 0.01 * np.sin(angle[part]), 24.94 + 0.02 * np.cos(angle[part])
            ele = 20 + 5 * np.sin(angle[part] * 3)
            out.write("".join(
                f'<trkpt lat="{a:.6f}" lon="{o:.6f}"><ele>{e:.1f}</ele><time>{t}</time></trkpt>\n'
                for a, o, e, t in zip(lat, lon, ele, stamps[part], strict=True)))
        out.write("</trkseg></trk></gpx>\n")
    return path


def huge_gpx() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = big_gpx(Path(scratch))
        print(f"\na {path.stat().st_size / 1e6:.0f} MB GPX (1 Hz, 24 days), one fresh process each (goal: < 15 s, "
              "< 1 GB, or refused by a named limit; before: 108 s and 3.4 GB with gpxpy, from issue 12)")
        print(f"{'reader':<34} {'s':>7} {'MB':>7}  outcome")
        refused = ("from stridewise.errors import InputError\nfrom stridewise.parsers import parse_bytes",
                   "try:\n        parse_bytes(data, path.name)\n    except InputError as exc:\n"
                   "        print(exc.reason, file=sys.stderr)")
        readers = {"stridewise (limits, then fast path)": refused,
                   "  the fast XML pass without limits": XML_READERS["  of which the XML pass (read_gpx/tcx)"],
                   "bare lxml streaming pass": XML_READERS["bare lxml streaming pass"]}
        for label, (setup, call) in readers.items():
            env = {**os.environ, "PYTHONPATH": str(SRC)}
            done = subprocess.run([sys.executable, "-c", MEASURE.format(setup=setup, call=call), str(path)],
                                  capture_output=True, text=True, env=env, check=False)
            spent, grown = (float(x) for x in done.stdout.split()) if done.stdout else (float("nan"),) * 2
            print(f"{label:<34} {spent:>7.2f} {grown:>7.0f}  {done.stderr.strip() or 'read'}")


def stream_encoding() -> None:
    from stridewise.errors import InputError
    from stridewise.parsers import parse_bytes
    from stridewise.store import codec
    streams = []
    for path in sorted((REAL_LOGS / "fit").iterdir()):
        try:
            streams += [a.stream for a in parse_bytes(path.read_bytes(), path.name)]
        except InputError:
            continue

    def npz(stream: pd.DataFrame) -> bytes:  # how streams were stored before
        arrays = {name: stream[name].to_numpy(dtype=float) for name in stream.columns[1:]}
        arrays["time"] = stream["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    samples = sum(len(s) for s in streams)
    print(f"\nstream encoding: the {len(streams)} streams of the real FIT files ({samples:,} samples), best of 3")
    print(f"{'encoding':<34} {'MB':>7} {'encode s':>9} {'decode s':>9}")
    for label, encode in (("savez_compressed (before)", npz), ("raw LE + shuffle + zstd (after)", codec.encode_stream)):
        encode_s, decode_s = [], []
        for _ in range(3):
            began = time.perf_counter()
            blobs = [encode(s) for s in streams]
            encode_s.append(time.perf_counter() - began)
            began = time.perf_counter()
            for blob in blobs:
                codec.decode_stream(blob)
            decode_s.append(time.perf_counter() - began)
        print(f"{label:<34} {sum(map(len, blobs)) / 1e6:>7.2f} {min(encode_s):>9.3f} {min(decode_s):>9.3f}")
