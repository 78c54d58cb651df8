"""What a serving process does once, after Django is set up and before its first request."""

from __future__ import annotations

import atexit
import gc


def settle() -> None:
    """Move every object alive now (Django, the apps, their modules and settings: about 190,000
    objects) out of the garbage collector's reach, after collecting what start-up left behind.

    They live as long as the process. Left in the collector's oldest generation, they were
    scanned by each full collection, which requests trigger every few dozen pages: a pause of
    about 100-150 ms in the middle of one page (bench/RESULTS.md, 23 Nov 2026: the tail of the
    task list and dashboard timings). Frozen, a full collection scans only what requests made.
    """
    gc.collect()
    gc.freeze()
    # At exit they are released as usual (extension modules such as DuckDB's report objects
    # never freed otherwise).
    atexit.register(gc.unfreeze)
