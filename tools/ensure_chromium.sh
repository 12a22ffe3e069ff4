#!/bin/sh
# Install Debian's Chromium for the browser tests where it is missing and can be installed.
# Never fails: where it cannot be installed, the browser tests are skipped with a message saying so.
for c in "$CHROMIUM" chromium chromium-browser google-chrome; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && exit 0
done
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
    if [ "$SUDO" != none ]; then
        echo "Installing Chromium (Debian package 'chromium') for the browser tests ..."
        $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
            && exit 0
    fi
fi
echo "note: Chromium is not installed and could not be installed here (needs apt-get as root);" \
     "the browser tests will be skipped. Install Chromium and set CHROMIUM=/path/to/it to run them." >&2
exit 0
