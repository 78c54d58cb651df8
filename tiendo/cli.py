"""The ``tiendo`` console script.

tiendo demo [--seed-only] [--fresh] [--host H] [--port P]   demo data on SQLite, then serve
tiendo serve [--host H] [--port P] [--workers N]             production server (gunicorn)
tiendo <any Django management command>                       e.g. tiendo migrate
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "manage":
        args = args[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args and args[0] == "demo":
        os.environ.setdefault("TIENDO_DEMO", "1")
    if args and args[0] == "serve":
        return _serve(args[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tiendo", *args])
    return 0


def _serve(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="tiendo serve", description="Run tiendo with gunicorn.")
    parser.add_argument("--host", default=os.environ.get("TIENDO_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("TIENDO_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("TIENDO_WORKERS", "3")))
    options = parser.parse_args(args)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{options.host}:{options.port}",
        "--workers",
        str(options.workers),
        "--access-logfile",
        "-",
    ]
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
