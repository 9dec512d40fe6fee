#!/usr/bin/env bash
# What `make test` needs beyond Python: Chromium (the browser tests), nginx and openssl (the
# production-parity tests) and pdftoppm from poppler-utils (printed pages as images). On
# Debian or Ubuntu as root, what is missing is installed with apt-get; anywhere else this
# stops at once with the command to run, before any test starts.
set -euo pipefail

# Programs in sbin are not on a user's PATH on Debian (nginx is /usr/sbin/nginx).
SBIN_DIRS=${SBIN_DIRS:-/usr/sbin /sbin}

package_of() {
    case "$1" in
        pdftoppm) echo poppler-utils ;;
        *) echo "$1" ;;
    esac
}

found() {
    command -v "$1" >/dev/null 2>&1 && return 0
    for dir in $SBIN_DIRS; do
        [ -x "$dir/$1" ] && return 0
    done
    return 1
}

missing=()
for program in chromium nginx openssl pdftoppm; do
    # The browser tests take a Chromium elsewhere from CHROMIUM_PATH.
    if [ "$program" = chromium ] && [ -x "${CHROMIUM_PATH:-}" ]; then
        continue
    fi
    found "$program" || missing+=("$(package_of "$program")")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

install="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $install
else
    echo "The tests need ${missing[*]}, which this machine lacks. On Debian or Ubuntu:" >&2
    echo "    sudo apt-get update && sudo $install" >&2
    exit 1
fi
