"""Size limits shared by the analyser, the readers and the page."""

# About 400 pages of text: far beyond any report, small enough to analyse in seconds.
MAX_CHARS = 2_000_000
