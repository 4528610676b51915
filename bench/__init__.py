"""Benchmarks: side-by-side figures for the servers forge can drive (not part of the test suite)."""
