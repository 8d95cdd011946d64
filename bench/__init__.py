"""Benchmarks that print figures. Run them all with `./dev bench`."""
