"""Stage 2: the SQLite store of files, normalized activities, their streams and derived metrics."""

from stridewise.store.db import ActivityRecord, FileState, Store, default_db_path

__all__ = ["ActivityRecord", "FileState", "Store", "default_db_path"]
