"""Stage 6: the weekly risk report (HTML, PNG card, JSON) built from a TrainingLog."""

from __future__ import annotations

from pathlib import Path

from stridewise.atomic import write_atomic
from stridewise.jsontext import dumps
from stridewise.report.build import ReportBundle, build_report
from stridewise.report.pages import environment

# The pages a process renders; compiled once by prepare().
TEMPLATE_NAMES = ("report.html.j2", "index.html.j2")


def prepare() -> None:
    """Set up once per process what every report reuses: matplotlib and its fonts, the compiled templates.

    Optional: the first report does it anyway. A batch calls it before it forks its render workers, so that each
    worker starts with it done instead of paying it again (importing matplotlib alone is about 0.3 s).
    """
    from stridewise.report.images import warm_up  # imports matplotlib

    for name in TEMPLATE_NAMES:
        environment().get_template(name)
    warm_up()


def write_report(bundle: ReportBundle, out_dir: Path) -> list[Path]:
    """Write the three files of ``bundle`` into ``out_dir`` (each atomically); return their paths."""
    names = bundle.file_names()
    contents = {"html": bundle.html.encode("utf-8"), "png": bundle.png,
                "json": (dumps(bundle.data) + "\n").encode("utf-8")}
    paths = []
    for kind, data in contents.items():
        path = out_dir / names[kind]
        write_atomic(path, data)
        paths.append(path)
    return paths


__all__ = ["ReportBundle", "build_report", "prepare", "write_report"]
