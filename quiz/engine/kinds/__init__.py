"""One module per kind of question, each independent of the others (see registry.py)."""
