"""Run nbdev_test over every notebook and close with a countable line.

Prints `nbdev_test: N passed, M failed` (one notebook = one test file) and exits non-zero when a
notebook failed or none ran. Extra arguments are passed to nbdev_test unchanged.
"""
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    args = list(argv)
    if "--n_workers" not in args:
        args += ["--n_workers", "2"]
    if "--timing" not in args:
        args += ["--timing"]
    if "--do_print" not in args:
        args += ["--do_print"]
    t0 = time.time()
    proc = subprocess.Popen(["nbdev_test", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    started, failed, lines = set(), set(), []
    in_failed = False
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
        m = re.match(r"Starting (.*\.ipynb)", line.strip())
        if m:
            started.add(Path(m.group(1)).name)
        if "nbdev Tests Failed On The Following Notebooks" in line:
            in_failed = True
        elif in_failed and line.strip().endswith(".ipynb"):
            failed.add(line.strip())
    rc = proc.wait()
    if "No files were eligible for testing" in "".join(lines):
        print("nbdev_test ran no notebook", file=sys.stderr)
        return 1
    n_fail = len(failed) if failed else (1 if rc else 0)
    n_pass = max(len(started) - n_fail, 0)
    print(f"wall time {time.time() - t0:.0f} s")
    print(f"nbdev_test: {n_pass} passed, {n_fail} failed")
    return rc if rc else (0 if n_pass else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
