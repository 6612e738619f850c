"""The one Jinja environment for every HTML page stridewise writes (the weekly report and the batch indexes).

Built once per process, on first use, and kept: building it and compiling a template cost more than rendering a
page. A batch builds it before it forks its render workers (:func:`stridewise.report.prepare`), so they share it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """The environment: templates from ``report/templates``, HTML autoescaped, an undefined name is an error."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              autoescape=jinja2.select_autoescape(["html", "j2"]), auto_reload=False)


def render_page(template: str, **context: Any) -> str:
    """``template`` (a file name in ``report/templates``) rendered with ``context``."""
    return environment().get_template(template).render(**context)
