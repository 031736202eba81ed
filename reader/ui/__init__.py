"""The Textual app: the library screen, the reading screen, their panes and dialogs.

Nothing here imports the NLP engine at module level; analysis runs in a worker thread
that imports it on first use, so the first paint never waits for NLTK.
"""
