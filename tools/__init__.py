"""Developer tools, outside the installed package: benchmark, synthetic data, screenshots.

Run from the repository's root (``make bench``, ``make screenshots``; the tests import them).
The installed ``biomarker_kb`` never imports anything from here.
"""
