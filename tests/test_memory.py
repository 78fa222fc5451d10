"""peak_memory_mb measures the process's own peak, not the one Linux carries over from its parent."""
import subprocess
import sys

import pytest

CHILD = """
from course_utils.memory import peak_memory_mb
before = peak_memory_mb()
block = bytearray({mb} * 2**20)
block[::4096] = b"\\1" * len(block[::4096])  # touch every page so that it is resident
print(before, peak_memory_mb())
"""


def peaks_in_a_child(allocate_mb: int) -> tuple[float, float]:
    """The child's peak before and after it allocates (and touches) allocate_mb MB."""
    child = subprocess.run([sys.executable, "-c", CHILD.format(mb=allocate_mb)],
                           capture_output=True, text=True, check=True)
    before, after = map(float, child.stdout.split())
    return before, after


def test_the_peak_grows_by_what_the_process_allocates():
    before, after = peaks_in_a_child(300)
    assert 280 <= after - before <= 330, (before, after)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is carried over on Linux")
def test_a_child_of_a_large_process_reports_its_own_peak():
    block = bytearray(1024 * 2**20)
    block[::4096] = b"\1" * len(block[::4096])
    before, _ = peaks_in_a_child(0)
    assert before < 500, f"the child reported {before:.0f} MB: its parent's gigabyte, not its own peak"
    del block
