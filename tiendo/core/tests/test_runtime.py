"""A serving process freezes its start-up objects (``tiendo.core.runtime.settle``)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_wsgi_application_leaves_start_up_objects_to_no_collection() -> None:
    # given a fresh interpreter that loads the application as gunicorn does
    code = (
        "import gc; import config.wsgi as w; "
        "print(gc.get_freeze_count(), callable(w.application), sum(gc.get_count()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    frozen, app, pending = int(out[0]), out[1], int(out[2])
    # then Django and the apps are frozen, the application is ready, and nothing is pending
    assert frozen > 50_000
    assert app == "True"
    assert pending < 1_000
