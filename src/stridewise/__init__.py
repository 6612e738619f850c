"""stridewise: a training-log analyzer for runners."""

__version__ = "0.1.0"
