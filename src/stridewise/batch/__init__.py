"""Stage 8: the unattended batch (run.py), its lock (lock.py), index pages (index.py) and notifications (notify.py)."""

from stridewise.batch.index import AthleteSummary, render_athletes_index, write_index_files
from stridewise.batch.lock import LOCK_NAME, batch_lock, remove_stale_temp_files
from stridewise.batch.notify import NOTIFY_ENV, NotifySettings, notify_settings
from stridewise.batch.run import (
    KILL_AFTER_WEEKS_ENV,
    MANIFEST_NAME,
    PROBLEMS_NAME,
    BatchCallback,
    BatchResult,
    BatchStep,
    run_batch,
)
from stridewise.batch.team import ATHLETE_DB_NAME, athlete_folders, write_athletes_index
from stridewise.errors import LockHeldError, NotifyError

__all__ = [
    "ATHLETE_DB_NAME", "KILL_AFTER_WEEKS_ENV", "LOCK_NAME", "MANIFEST_NAME", "NOTIFY_ENV", "PROBLEMS_NAME",
    "AthleteSummary", "BatchCallback", "BatchResult", "BatchStep", "LockHeldError", "NotifyError", "NotifySettings",
    "athlete_folders", "batch_lock", "notify_settings", "remove_stale_temp_files", "render_athletes_index",
    "run_batch", "write_athletes_index", "write_index_files",
]
