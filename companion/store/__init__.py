"""The user's own data on this machine: corrections, author rules, settings and daily counts
(SQLite, `store.py`), what the companion learns from the corrections (`adapt.py`), and one
JSON file to move it all (`transfer.py`)."""
