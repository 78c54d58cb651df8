# The two commands of README.md: `make demo` and `make test`. Both set up everything they need.
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python

.PHONY: demo test setup lint format messages bench

demo: setup
	.venv/bin/tiendo demo

test: setup
	scripts/ensure-browser
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pytest --create-db -n auto $(PYTEST_ARGS)

setup:
	scripts/bootstrap

lint: setup
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

# Regenerate and compile the translation catalogues of every app (needs GNU gettext).
messages: setup
	scripts/messages
