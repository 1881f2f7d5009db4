#!/bin/sh
# Install the Debian packages etslink needs, or say exactly how to.
# Usage: tools/deps.sh PACKAGE...   (called by make; exits non-zero when something is missing)
missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
    echo "etslink: installing missing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing && exit 0
    echo "etslink: apt-get failed; install by hand: apt-get install$missing" >&2
    exit 1
fi
echo "etslink: missing Debian packages. Run as root:" >&2
echo "  sudo apt-get install$missing" >&2
exit 1
