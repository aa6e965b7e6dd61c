"""World Migration Report generator: pinned data -> chapter notebooks -> HTML and PDF editions."""
