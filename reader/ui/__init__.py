"""The Textual app: the library screen, the reading screen, their panes and dialogs.

Threads, the one statement of the rules (module docstrings say how each part keeps them):

* The UI thread alone touches widgets, and alone calls the Library: TinyDB is not
  thread-safe, and the store's lock (reader.store.library) is a safety net, not a licence.
  Each store call is small (a progress save is a few milliseconds), so the UI never waits
  long on one.
* Everything slow runs in a Textual thread worker, on inputs handed to it that nothing
  changes meanwhile, and gives its result back as a message (or `call_from_thread`) that
  the UI thread applies:
  - the analysis (reader.ui.analysis_worker): a text in, an Analysis out; it writes only
    the analysis cache's own files;
  - the search index (reader.ui.search_index): built from a snapshot of the records taken
    on the UI thread, in its own SQLite connection;
  - reading a file or fetching a page to add (reader.ui.dialogs.add_article): the UI
    thread stores the result with one call;
  - a long text's whole layout (reader.ui.widgets.article_view);
  - opening a link in the browser (reader.ui.dialogs.links) and completing a path.
* Two workers must write as they go, the feeds update and the one-time layout upgrade:
  they hold reader.ui.store_proxy's stand-in, which makes each of their store calls on the
  UI thread and waits for it.

Nothing here imports the NLP engine at module level; analysis runs in a worker thread
that imports it on first use, so the first paint never waits for NLTK.
"""
