#!/bin/sh
# Usage: tools/check_python.sh PYTHON
# Stops with a clear message unless PYTHON exists and is CPython 3.11.
# Why 3.11: the course pins numpy 1.23.5 (the newest numpy that MXNet 1.9.1 works
# with), and numpy 1.23.5 ships no wheels for Python 3.12 or later.
py="${1:-python3.11}"
fix="Install Python 3.11 (for example 'pyenv install 3.11', 'uv python install 3.11',
or your system's python3.11 package) and run again with: make PYTHON=/path/to/python3.11 ..."
if ! command -v "$py" >/dev/null 2>&1; then
    printf 'error: no Python interpreter "%s" found.\nThis course needs Python 3.11.\n%s\n' "$py" "$fix" >&2
    exit 1
fi
version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
if [ "$version" != "3.11" ]; then
    printf 'error: "%s" is Python %s, but this course needs Python 3.11:\nnumpy 1.23.5 (required by mxnet 1.9.1) has no wheels for other versions.\n%s\n' "$py" "${version:-unknown}" "$fix" >&2
    exit 1
fi
