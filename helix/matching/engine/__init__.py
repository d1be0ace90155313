"""Helix's matching engine: funding finder and marketplace matcher, in pure Python.

Nothing in this package imports Django (`helix/matching/tests/test_engine_purity.py` enforces
it). Frozen dataclasses go in (`types`), scored results with explanations come out. See
docs/matching.md for the signals, weights, verdict rules and the exact top-k algorithm.
"""
