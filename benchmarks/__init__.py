"""Speed and quality benchmarks, run on demand with ``python -m benchmarks``."""
