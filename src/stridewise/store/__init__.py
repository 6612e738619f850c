"""Stage 2: the SQLite store of files, normalized activities, their streams and derived metrics."""

from stridewise.store.db import ActivityRecord, FileState, Store, default_db_path
from stridewise.store.maps import MIX_CLASSES, MapImport, MapSegments

__all__ = ["MIX_CLASSES", "ActivityRecord", "FileState", "MapImport", "MapSegments", "Store", "default_db_path"]
