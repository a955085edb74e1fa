"""Performance benchmarks (run with python -m; not part of the test suite)."""
