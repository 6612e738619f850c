"""Stage 6: the weekly risk report (HTML, PNG card, JSON) built from a TrainingLog."""

from __future__ import annotations

import json
from pathlib import Path

from stridewise.report.build import ReportBundle, build_report
from stridewise.report.write import write_atomic


def write_report(bundle: ReportBundle, out_dir: Path) -> list[Path]:
    """Write the three files of ``bundle`` into ``out_dir`` (each atomically); return their paths."""
    names = bundle.file_names()
    contents = {"html": bundle.html.encode("utf-8"), "png": bundle.png,
                "json": (json.dumps(bundle.data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
    paths = []
    for kind, data in contents.items():
        path = out_dir / names[kind]
        write_atomic(path, data)
        paths.append(path)
    return paths


__all__ = ["ReportBundle", "build_report", "write_report"]
