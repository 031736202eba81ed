"""Modal dialogs: add an article, confirm a deletion, write a note, list the keys."""
