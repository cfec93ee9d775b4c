#!/usr/bin/env python3
"""Time from starting the interface to its first frame, and to the loaded story list.

Usage: bench/first_frame.py BIN PATH [RUNS]

Starts `BIN --no-watch --state-dir TMP PATH` in a pseudo-terminal of 200x60
(a real terminal, as a user has), feeds what it draws to a terminal emulator
(pyte, installed with pip when missing), and reports for each run: the time
until the first frame (the header "storydiff" is on the screen) and until the
story list is there ("stories in", the status bar after loading). Then it
sends `q` and waits for the process to end. Prints the median of the runs.
"""
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import fcntl
import termios

try:
    import pyte
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pyte"], check=True)
    import pyte


def one_run(binary, path):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    state = tempfile.mkdtemp(prefix="storydiff-ff-")
    env = dict(os.environ, TERM="xterm-256color")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [binary, "--no-watch", "--state-dir", state, path],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    screen = pyte.Screen(200, 60)
    stream = pyte.ByteStream(screen)
    first = loaded = None
    deadline = start + 600
    while time.perf_counter() < deadline and loaded is None:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:
            break
        now = time.perf_counter()
        stream.feed(chunk)
        shown = "\n".join(screen.display)
        if first is None and "storydiff" in shown:
            first = now - start
        if "stories in" in shown:
            loaded = now - start
    os.write(master, b"q")
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    # Drain so the child never blocks on a full pty.
    try:
        while select.select([master], [], [], 0.1)[0]:
            if not os.read(master, 1 << 16):
                break
    except OSError:
        pass
    os.close(master)
    return first, loaded


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    firsts, loads = [], []
    for _ in range(runs):
        first, loaded = one_run(binary, path)
        if first is None or loaded is None:
            print("the interface did not draw (first=%r, loaded=%r)" % (first, loaded), file=sys.stderr)
            return 1
        firsts.append(first * 1000)
        loads.append(loaded * 1000)
    print(
        "first frame: median %.1f ms (min %.1f); story list loaded: median %.0f ms (min %.0f); %d runs"
        % (statistics.median(firsts), min(firsts), statistics.median(loads), min(loads), runs)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
