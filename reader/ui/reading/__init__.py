"""The reading screen's parts, one concern a module, over the state in `base`.

reader.ui.screens.reading assembles them into `ReadingScreen` and adds the layout.
"""
