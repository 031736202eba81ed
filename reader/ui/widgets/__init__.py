"""Widgets owned by the reading screen: the article view, the sidebar panes, the status line."""
