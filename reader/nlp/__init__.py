"""The analysis engine: sentences, named entities and key sentences, offline.

Nothing here imports Textual, and nothing downloads: every model is a file in
`reader/nlp/models/`, trained by `reader.nlp.train` from local corpora.
"""
