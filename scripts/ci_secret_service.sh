#!/usr/bin/env bash
# Make a real Secret Service available to the tests: Debian's gnome-keyring and a D-Bus
# daemon. The tests (tests/test_security_keyring.py) start their own private, unlocked
# session with these programs and stop it afterwards; nothing here keeps running.
#
#   bash scripts/ci_secret_service.sh          install if missing (needs root and apt-get)
#
# Exits 0 when both programs are there afterwards; 1 (with the reason) when they cannot
# be installed. CI sets KUPON_REQUIRE_SECRET_SERVICE=1 so that the test fails instead of
# skipping when they are missing.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have gnome-keyring-daemon && have dbus-daemon; then
    echo "secret service: $(gnome-keyring-daemon --version | head -n1), $(dbus-daemon --version | head -n1)"
    exit 0
fi
if ! have apt-get; then
    echo "secret service: gnome-keyring and dbus-daemon are missing and apt-get is not available" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "secret service: installing gnome-keyring and dbus-daemon needs root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends gnome-keyring dbus-daemon >/dev/null
echo "secret service: $(gnome-keyring-daemon --version | head -n1), $(dbus-daemon --version | head -n1)"
