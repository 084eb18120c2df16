#!/usr/bin/env python3
"""python build.py [build|serve|new|check|publish|report] — see README.md and HUONG-DAN.md."""
import sys

from cchc.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
