"""One loader module per pinned source; each returns a validated tidy pandas DataFrame."""
