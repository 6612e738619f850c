"""Stage 3: per-activity metrics computed from a stored stream."""
