"""reader: a terminal reading and study app.

The package root stays import-light: the CLI and the TUI import what they need
when they need it, so `reader --help` and the app's first paint never pay for NLTK.
"""

__version__ = "0.1.0"
