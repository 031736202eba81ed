"""Ask for the path of a file to import; the app does the importing."""

from __future__ import annotations

from reader.ui.dialogs.path import PathDialog


class AddArticleDialog(PathDialog):
    def __init__(self) -> None:
        super().__init__(
            "Add an article: path to a .txt or .md file",
            "enter to add · escape to cancel",
            placeholder="~/Downloads/article.txt",
            input_id="path",
        )
