#!/usr/bin/env bash
# Set up everything deckfollow needs on a fresh Debian/Ubuntu machine (or reuse what is there):
# Debian packages (Qt's X11 libraries, Xvfb, poppler, test servers), then .venv with the
# project installed editable with its test tools. Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0 want_bundle=0
for arg in "$@"; do
    case "$arg" in
        --tests) want_tests=1 ;;
        --bundle) want_bundle=1 ;;  # the tools `make bundle` needs
    esac
done

sudo_cmd=()
[[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo_cmd=(sudo)

install_debian() {
    local wanted=() missing=()
    mapfile -t wanted < <(grep -hv '^\s*#' "$@" | tr -s ' \t' '\n' | sed '/^$/d')
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
    lists=(packaging/debian-packages.txt)
    ((want_tests)) && lists+=(packaging/debian-test-packages.txt)
    ((want_bundle)) && lists+=(packaging/debian-build-packages.txt)
    install_debian "${lists[@]}"
else
    echo "bootstrap: not a Debian-based system; install Python 3.11+ and Qt's system libraries yourself" >&2
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "bootstrap: deckfollow needs Python 3.11 or newer ($python is older or missing)" >&2
    exit 1
fi

stamp=.venv/.deckfollow-installed
extras=""
((want_tests)) && extras="[test]"
key="$(sha256sum pyproject.toml | cut -c1-16)$extras"
if [[ ! -x .venv/bin/python ]]; then
    "$python" -m venv .venv
fi
# A test install also satisfies a plain run, so a [test] stamp is good for both.
if [[ "$(cat "$stamp" 2>/dev/null)" != "$key" && "$(cat "$stamp" 2>/dev/null)" != "${key%\[test\]}[test]" ]]; then
    echo "bootstrap: installing Python packages into .venv"
    log=.venv/pip-install.log
    if ! { .venv/bin/python -m pip install -q --upgrade pip &&
           .venv/bin/python -m pip install -q -e ".$extras"; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "bootstrap: installing Python packages failed (log above, also in $log)" >&2
        exit 1
    fi
    echo "$key" > "$stamp"
fi
