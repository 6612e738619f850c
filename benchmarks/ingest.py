"""Benchmark: cold ingestion of FIT files, the fast decoder against fitparse, side by side on the same files.

A benchmark, not a test: it prints figures. Every file is read from disk and decoded once per decoder, in one
process pinned to one core; "decode" is bytes -> the FIT messages parse_fit reads (``parsers/fit.py:_decode``),
"ingest" adds building the activities (streams, sessions), i.e. all of ``parse_fit``. Results are compared file by
file (metadata and every stream column) and the number of identical files is printed.

(a) the real FIT files in ../shared/real_logs (fit/ and broken/);
(b) a synthetic archive: ``--runs`` copies of a real 83-minute run (sportslib__6782987395.fit, a Forerunner 945),
    each moved ``i`` days later (every date_time field shifted, file CRC rewritten). fitparse reads an evenly spaced
    sample of ``--fitparse-sample`` files, and its archive time is that sample's mean scaled to the archive (labelled).
Then: one one-hour run on one core (the first parse in a fresh process, and the median of warm ones), peak memory
(tracemalloc) of both decoders. Then (ingest_process.py), each beside its floor or peer: cold ingest of the real FIT
files as a whole process against a plain fitparse loop (and against ``--before`` SRC), the fast GPX/TCX readers on the
5 largest files against gpxpy/ElementTree and a bare lxml pass (time and memory), a 200 MB GPX, and the stream
encoding (size and time) against savez_compressed.

Usage: .venv/bin/python benchmarks/ingest.py [--runs 2000] [--fitparse-sample 10] [--before SRC] [--only fit|process]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fitparse
import ingest_process  # type: ignore[import-not-found]  # benchmarks/ is not a package
import numpy as np
import pandas as pd
from bytecode import compile_sources  # type: ignore[import-not-found]
from fitparse.profile import MESSAGE_TYPES

from stridewise.errors import InputError
from stridewise.model import Activity
from stridewise.parsers import fit
from stridewise.parsers.fitfast import crc16

REAL_LOGS = Path(__file__).resolve().parent.parent.parent / "shared" / "real_logs"
TEMPLATE = "fit/sportslib__6782987395.fit"  # 83 min, 4,988 records, Forerunner 945 with developer fields
ONE_HOUR_RUN = "fit/sportslib__6860622783.fit"  # 62.7 min, 3,101 records, Forerunner 945
LARGEST_FIT = "fit/muktihari__big_activity.fit"  # 2.4 MB, 99,998 records
DECODERS = ("auto", "fitparse")
WARM_REPEATS = 20
TIME_TYPES = ("date_time", "local_date_time")
DAY_S = 86400

Outcome = list[Activity] | InputError


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}, fitparse {fitparse.__version__}")


def fit_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def ingest(path: Path, decoder: str) -> tuple[float, float, int, Outcome]:
    """Seconds to read and decode, seconds to read and ingest, records, and the activities (or the error)."""
    began = time.perf_counter()
    data = fit_bytes(path)
    try:
        contents = fit._decode(data, path.name, decoder)  # type: ignore[arg-type]
    except InputError as exc:
        spent = time.perf_counter() - began
        return spent, spent, 0, exc
    decoded = time.perf_counter()
    try:
        outcome: Outcome = fit._activities(contents, path.name)
    except InputError as exc:
        outcome = exc
    return decoded - began, time.perf_counter() - began, contents.record_count, outcome


def same(ours: Outcome, theirs: Outcome) -> bool:
    if isinstance(ours, InputError) or isinstance(theirs, InputError):
        return (type(ours), str(ours)) == (type(theirs), str(theirs))
    if len(ours) != len(theirs):
        return False
    for mine, reference in zip(ours, theirs, strict=True):
        if {k: v for k, v in vars(mine).items() if k != "stream"} != \
                {k: v for k, v in vars(reference).items() if k != "stream"}:
            return False
        try:
            pd.testing.assert_frame_equal(mine.stream, reference.stream, check_exact=True)
        except AssertionError:
            return False
    return True


def side_by_side(label: str, paths: list[Path], sample: list[Path] | None = None) -> dict[str, Any]:
    """Ingest ``paths`` with the fast decoder and ``sample`` (default: all) with fitparse; print one table."""
    sample = paths if sample is None else sample
    compared = set(sample)
    rows: dict[str, dict[str, float]] = {}
    outcomes: dict[Path, Outcome] = {}
    identical = 0
    for decoder, files in (("auto", paths), ("fitparse", sample)):
        decode_s = ingest_s = records = 0.0
        for path in files:
            d, i, n, outcome = ingest(path, decoder)
            decode_s, ingest_s, records = decode_s + d, ingest_s + i, records + n
            if decoder == "fitparse":
                identical += same(outcomes[path], outcome)
            elif path in compared:  # only the files fitparse reads are kept, to compare
                outcomes[path] = outcome
        rows[decoder] = {"files": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6,
                         "records": records, "decode_s": decode_s, "ingest_s": ingest_s}
    scale = len(paths) / len(sample)
    estimated = {k: v * scale for k, v in rows["fitparse"].items() if k in ("decode_s", "ingest_s")}
    print(f"\n{label}")
    print(f"{'decoder':<34} {'files':>6} {'MB':>8} {'records':>10} {'decode s':>9} {'ingest s':>9} "
          f"{'records/s':>11}")
    for name, row in (("fast (fitfast, fitparse fallback)", rows["auto"]), ("fitparse", rows["fitparse"])):
        print(f"{name:<34} {row['files']:>6} {row['mb']:>8.1f} {row['records']:>10,.0f} {row['decode_s']:>9.2f} "
              f"{row['ingest_s']:>9.2f} {row['records'] / row['decode_s']:>11,.0f}")
    if scale != 1:
        print(f"{'fitparse, scaled to the archive':<34} {len(paths):>6} {rows['auto']['mb']:>8.1f} "
              f"{rows['auto']['records']:>10,.0f} {estimated['decode_s']:>9.1f} {estimated['ingest_s']:>9.1f} "
              f"  (estimated from a sample of {len(sample)} files)")
    fitparse_s = estimated if scale != 1 else rows["fitparse"]
    ratio_decode = fitparse_s["decode_s"] / rows["auto"]["decode_s"]
    ratio_ingest = fitparse_s["ingest_s"] / rows["auto"]["ingest_s"]
    print(f"speed ratio (fitparse / fast): decode {ratio_decode:.0f}x, ingest {ratio_ingest:.0f}x; "
          f"identical results: {identical} of {len(sample)} files")
    return {"rows": rows, "ratio_decode": ratio_decode, "ratio_ingest": ratio_ingest, "identical": identical}


def time_fields(data: bytes) -> list[tuple[int, str]]:
    """(offset, struct format) of every 4-byte date_time/local_date_time value in the data messages of a FIT file."""
    header_size, data_size = data[0], struct.unpack_from("<I", data, 4)[0]
    at, end = header_size, header_size + data_size
    layouts: dict[int, tuple[int, list[tuple[int, str]]]] = {}
    found = []
    while at < end:
        header = data[at]
        if header & 0x80:
            size, fields = layouts[(header >> 5) & 0x3]
        elif header & 0x40:
            endian = ">" if data[at + 2] else "<"
            mesg_num, n_fields = struct.unpack_from(endian + "HB", data, at + 3)
            profile = MESSAGE_TYPES.get(mesg_num)
            cursor, offset, fields = at + 6, 0, []
            for _ in range(n_fields):
                num, size, _base = data[cursor:cursor + 3]
                field = profile.fields.get(num) if profile else None
                if field is not None and field.type.name in TIME_TYPES and size == 4:
                    fields.append((offset, endian + "I"))
                cursor, offset = cursor + 3, offset + size
            if header & 0x20:  # developer fields: (number, size, developer index) triples after their count
                n_dev, cursor = data[cursor], cursor + 1
                for _ in range(n_dev):
                    offset, cursor = offset + data[cursor + 1], cursor + 3
            layouts[header & 0xF] = (offset, fields)
            at = cursor
            continue
        else:
            size, fields = layouts[header & 0xF]
        found.extend((at + 1 + offset, layout) for offset, layout in fields)
        at += 1 + size
    return found


def shifted(template: bytes, fields: list[tuple[int, str]], days: int) -> bytes:
    """The template run, ``days`` later: every valid clock time moved, the file CRC rewritten."""
    data = bytearray(template)
    for offset, layout in fields:
        value = struct.unpack_from(layout, data, offset)[0]
        if 0x10000000 <= value < 0xFFFFFFFF:  # a clock time, not a device tick or "invalid"
            struct.pack_into(layout, data, offset, value + days * DAY_S)
    struct.pack_into("<H", data, len(data) - 2, crc16(memoryview(data)[:-2]))
    return bytes(data)


def make_archive(folder: Path, runs: int) -> list[Path]:
    template = (REAL_LOGS / TEMPLATE).read_bytes()
    fields = time_fields(template)
    paths = []
    for day in range(1, runs + 1):
        path = folder / f"run-{day:05d}.fit"
        path.write_bytes(shifted(template, fields, day))
        paths.append(path)
    return paths


def one_hour_run() -> None:
    path = REAL_LOGS / ONE_HOUR_RUN
    code = ("import time, sys; from stridewise.parsers.fit import parse_fit; data = open(sys.argv[1], 'rb').read(); "
            "t = time.perf_counter(); parse_fit(data, 'run.fit'); print(time.perf_counter() - t)")
    firsts = [float(subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                                   check=True).stdout) for _ in range(5)]
    print(f"\none one-hour run ({ONE_HOUR_RUN}, 62.7 min, 3,101 records), one core")
    print(f"{'decoder':<10} {'first parse in a fresh process ms':>34} {'warm median ms':>15}")
    for decoder in DECODERS:
        data = path.read_bytes()
        repeats = WARM_REPEATS if decoder == "auto" else 3
        warm = []
        for _ in range(repeats):
            began = time.perf_counter()
            fit.parse_fit(data, path.name, decoder=decoder)  # type: ignore[arg-type]
            warm.append(time.perf_counter() - began)
        first = f"{1000 * statistics.median(firsts):.1f} (median of 5)" if decoder == "auto" else "-"
        print(f"{decoder:<10} {first:>34} {1000 * statistics.median(warm):>15.1f}")


def peak_mb(action: Callable[[], object]) -> tuple[float, float]:
    """Seconds and tracemalloc peak (MB) of one call; tracemalloc slows Python, so the seconds are only a guide."""
    tracemalloc.start()
    began = time.perf_counter()
    action()
    spent = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return spent, peak


def memory() -> None:
    print("\npeak memory of one parse (tracemalloc)")
    print(f"{'file':<46} {'MB':>6} {'fast MB':>8} {'fitparse MB':>12}")
    for name in (ONE_HOUR_RUN, LARGEST_FIT):
        data = (REAL_LOGS / name).read_bytes()
        peaks = [peak_mb(lambda b=data, n=name, d=decoder: fit.parse_fit(b, n, decoder=d))[1]  # type: ignore[misc]
                 for decoder in DECODERS]
        print(f"{name:<46} {len(data) / 1e6:>6.2f} {peaks[0]:>8.1f} {peaks[1]:>12.1f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2000, help="files in the synthetic archive")
    parser.add_argument("--fitparse-sample", type=int, default=10, help="archive files fitparse reads")
    parser.add_argument("--before", type=Path,
                        help="another source tree (.../src) for the cold ingest and the XML readers, alternated")
    parser.add_argument("--only", choices=("fit", "cold", "xml"),
                        help="only the FIT decoder part, the cold whole-process ingest, or the XML and encoding part")
    args = parser.parse_args(argv)
    if not REAL_LOGS.is_dir():
        print(f"real device files not found at {REAL_LOGS}")
        return 1
    compile_sources(None, args.before)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"machine: {machine()}; pinned to one core")
    fit.parse_fit((REAL_LOGS / "fit/gc__moxy.fit").read_bytes(), "warm-up.fit")

    if args.only in (None, "fit"):
        real = sorted(p for folder in ("fit", "broken") for p in (REAL_LOGS / folder).iterdir()
                      if p.name.lower().endswith((".fit", ".fit.gz")))
        side_by_side(f"(a) real FIT files in {REAL_LOGS}", real)
        with tempfile.TemporaryDirectory() as scratch:
            began = time.perf_counter()
            archive = make_archive(Path(scratch), args.runs)
            print(f"\n(synthetic archive of {args.runs} runs written in {time.perf_counter() - began:.1f} s)")
            step = max(1, len(archive) // args.fitparse_sample)
            side_by_side(f"(b) synthetic archive: {args.runs} copies of {TEMPLATE}, re-timestamped", archive,
                         archive[::step][:args.fitparse_sample])
        one_hour_run()
        memory()
    if args.only in (None, "cold"):
        ingest_process.cold_fit_ingest(args.before, fitparse_loop=True)
    if args.only in (None, "xml"):
        ingest_process.xml_readers(args.before)
        ingest_process.huge_gpx()
        ingest_process.stream_encoding()
    print(f"\npeak resident memory of this benchmark process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
