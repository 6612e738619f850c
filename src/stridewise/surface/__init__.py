"""Surface from the map: OpenStreetMap ways in the store, and each run's measured mix of surface classes.

Sits between ``store`` and ``metrics`` in the layer order: it reads and writes the store's map tables.
"""

from stridewise.surface.classes import CLASSES, surface_class
from stridewise.surface.runs import MATCH_VERSION, MapImportReport, import_map, match_runs, remove_map

__all__ = ["CLASSES", "MATCH_VERSION", "MapImportReport", "import_map", "match_runs", "remove_map", "surface_class"]
