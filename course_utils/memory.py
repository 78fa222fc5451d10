"""Peak memory of the running process, measured the same way on Colab, a laptop and in CI."""
import resource
import sys
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_memory_mb() -> float:
    """The most physical memory (peak resident set size) this process has held so far, in MB.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: the peak of this process's own memory.
    ``resource.getrusage(...).ru_maxrss`` is not used there, because Linux carries it over from
    the process a kernel or a child was forked from: a notebook kernel started by a 3 GB process
    would report 3 GB before loading anything. Elsewhere (macOS) ``ru_maxrss`` is the best
    available measure (bytes on macOS, kB on Linux).
    """
    if _STATUS.is_file():
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
