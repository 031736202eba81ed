"""Modal dialogs: add an article, confirm, write a note, edit tags, export, list the keys."""
