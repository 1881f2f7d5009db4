"""Tests of the etslink Python package (run by `make python-check`, part of `make check`)."""
