#!/usr/bin/env python3
"""Build World Migration Report editions. See README.md; `python build.py --help` lists the options."""
import sys

from wmr.cli import main

if __name__ == "__main__":
    sys.exit(main())
