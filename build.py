#!/usr/bin/env python3
"""Build World Migration Report editions. See README.md; `python build.py --help` lists the options.

Always builds the project this file lives in, whatever the working directory and however `wmr` is installed:
its own src/ (when present) comes first on the import path, for this process and the kernels it starts.
"""
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
if (PROJECT / "src" / "wmr").is_dir():
    sys.path.insert(0, str(PROJECT / "src"))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(PROJECT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])

from wmr.build.cli import main  # noqa: E402  (after the import path is set)

if __name__ == "__main__":
    sys.exit(main(project=PROJECT))
