"""Times a command as a whole process, several runs: median wall seconds (microsecond clock, not the
centiseconds of /usr/bin/time), median user+sys CPU seconds and the largest peak RSS in MB, from the
child's own rusage (wait4), printed as "wall cpu rss". Output of the command is discarded; a failing
run prints its stderr and exits 1.
Usage: time_process.py RUNS command [args...]"""
import os
import statistics
import subprocess
import sys
import time

runs, command = int(sys.argv[1]), sys.argv[2:]
walls, cpus, rss = [], [], 0.0
for _ in range(runs):
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    walls.append(time.perf_counter() - start)
    error = child.stderr.read()
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(error.decode(errors="replace"))
        sys.exit(1)
    cpus.append(usage.ru_utime + usage.ru_stime)
    rss = max(rss, usage.ru_maxrss / 1024)
print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f} {rss:.0f}")
