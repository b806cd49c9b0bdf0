"""Run a command and report its own peak RSS, measured from a process started clean.

    python benchmarks/rss.py REPORT.json -- COMMAND [ARG...]

Linux carries a process's high-water mark into its children: `ru_maxrss` of a child forked (or
vforked) by a 400 MB benchmark parent starts at 400 MB even after exec. This launcher is a
small, fresh interpreter (about 10 MB): the command it starts inherits only that, so the
`ru_maxrss` it reads with `os.wait4` is the command's own. Standard output and error pass
through; REPORT.json gets {"returncode", "seconds", "max_rss_kb"}. Standard library only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run argv[2:] (after "--"), write its figures to argv[0]; its exit code is returned."""
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    report, cmd = Path(argv[0]), argv[2:]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    report.write_text(json.dumps({"returncode": code, "seconds": seconds, "max_rss_kb": usage.ru_maxrss}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
