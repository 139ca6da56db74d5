#!/usr/bin/env bash
# Shared helpers for the setup steps (scripts/setup.d/NN-area.sh source this
# file; scripts/setup runs only the NN-*.sh steps, never this file).
#
#   apt_install PKG...        installs the Debian packages that are missing
#   install_user_lib FILE     copies a run-time library to the per-user directory
#                             ${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/ that an
#                             installed pqbench searches (when missing or different)
#   pip_install_pinned FILE [optional]
#                             pip-installs a hashed requirements file ("optional":
#                             a failure is reported as a note, status still 1)
#
# apt_install never lets a failing `apt-get update` stop setup by itself: a
# package that is installable from the package lists already on the machine is
# installed without an update; otherwise the lists are updated, a failure of
# the update (an unreachable mirror, a third-party source with a bad key, a
# clock skew) is reported as a warning, and the install is tried anyway. Only a
# failing install is an error, and it says which packages and what failed.
#
# Manual test against the real apt (installs and removes Debian's `hello`):
#   bash scripts/setup.d/lib.sh --self-test

# The command prefix for apt: nothing as root, sudo otherwise (when there).
_apt_prefix() {
    if [ "$(id -u)" = 0 ]; then
        return 0
    fi
    if command -v sudo >/dev/null 2>&1; then
        echo sudo
        return 0
    fi
    echo "setup: not root and no sudo: cannot install Debian packages" >&2
    return 1
}

# apt_install PKG...: installs each PKG that dpkg does not list as installed.
apt_install() {
    local p missing=() prefix
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    prefix="$(_apt_prefix)" || return 1
    export DEBIAN_FRONTEND=noninteractive
    local install=($prefix apt-get install -y -qq --no-install-recommends)
    local log
    log="$(mktemp)"
    # 1. Straight from the current package lists when they know the packages
    #    (`-s` only simulates: it resolves without downloading).
    if apt-get install -s -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        if "${install[@]}" "${missing[@]}" >"$log" 2>&1; then
            rm -f "$log"
            echo "setup: installed ${missing[*]} (Debian)"
            return 0
        fi
        echo "setup: installing ${missing[*]} from the current package lists failed; updating them:" >&2
        tail -n 5 "$log" | sed 's/^/    /' >&2
    fi
    # 2. Update the lists; a failure is reported, not fatal.
    #    apt-get exits 100 on errors (a missing or unsigned Release file) but
    #    0 when a source cannot be reached at all (only "W: Failed to fetch").
    local rc=0 update_failed=0
    $prefix apt-get update -qq >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ] || grep -qE '^(E:|Err:|W: Failed to fetch)' "$log"; then
        update_failed=1
        echo "setup: warning: 'apt-get update' failed (exit $rc$([ "$rc" = 0 ] && echo ', some lists not fetched'));" \
            "trying the install with the lists as they are:" >&2
        grep -E '^(E|W|Err):' "$log" | grep -v 'unsandboxed' | head -n 8 | sed 's/^/    /' >&2
    fi
    # 3. The install decides.
    if "${install[@]}" "${missing[@]}" >"$log" 2>&1; then
        rm -f "$log"
        echo "setup: installed ${missing[*]} (Debian)"
        return 0
    fi
    echo "setup: error: cannot install the Debian package(s) ${missing[*]}:" >&2
    tail -n 8 "$log" | sed 's/^/    /' >&2
    if [ "$update_failed" = 1 ]; then
        echo "    (the package lists could not be updated either: see the warning above)" >&2
    fi
    rm -f "$log"
    return 1
}

# pip_install_pinned FILE: installs the exact versions of FILE (hashes
# required) into the Python that runs the tests (`python3`). Quick when they
# are already there (about a second: nothing is downloaded).
pip_install_pinned() {
    local file="$1" kind="${2:-required}" log rc=0
    log="$(mktemp)"
    python3 -m pip install --quiet --disable-pip-version-check --require-hashes -r "$file" >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ] && [ "$kind" = optional ]; then
        tail -n 2 "$log" | sed 's/^/    /' >&2
        echo "setup: note: pip could not install the optional $file (exit $rc)" >&2
    elif [ "$rc" != 0 ]; then
        cat "$log" >&2
        if grep -q externally-managed-environment "$log"; then
            echo "setup: python3 is an externally managed (distribution) Python: run setup inside a venv" \
                "(python3 -m venv .venv && . .venv/bin/activate && scripts/setup)" >&2
        fi
        echo "setup: error: pip could not install $file (exit $rc)" >&2
    fi
    rm -f "$log"
    return "$rc"
}

# install_user_lib FILE: the per-user copy of a run-time library (TFLite, LiteRT).
# Same rule as pqbench (accel/src/discovery.rs): a relative XDG_DATA_HOME is ignored.
install_user_lib() {
    local file="$1" data_home="${XDG_DATA_HOME:-}" dir name
    name="$(basename "$file")"
    case "$data_home" in
        /*) ;;
        *) data_home="${HOME:-}/.local/share" ;;
    esac
    if [ -z "${HOME:-}" ] && [ -z "${XDG_DATA_HOME:-}" ]; then
        echo "setup: neither HOME nor XDG_DATA_HOME set; no per-user copy of $name" >&2
        return 0
    fi
    dir="$data_home/pqbench/lib"
    if [ -s "$dir/$name" ] && cmp -s "$file" "$dir/$name"; then
        return 0
    fi
    mkdir -p "$dir"
    cp "$file" "$dir/$name.tmp.$$"
    mv -f "$dir/$name.tmp.$$" "$dir/$name"
    echo "setup: installed $name for installed binaries at $dir/$name"
}

# --self-test: exercises apt_install against the real apt with private
# configurations (APT_CONFIG) whose lists live in a temporary directory, so
# the machine's own package lists are never touched:
#   1. an installed package: no apt call at all;
#   2. lists that know the package: installed without an update;
#   3. empty lists + a source list with an unreachable entry beside the real
#      ones: the update fails (reported), the install still succeeds;
#   4. empty lists + only the unreachable entry: the update fails and the
#      install fails with a clear error (non-zero status).
_apt_self_test() {
    set -uo pipefail
    local pkg=hello tmp fail=0 out
    [ "$(id -u)" = 0 ] || { echo "self-test: run as root" >&2; return 1; }
    tmp="$(mktemp -d)"
    chmod 755 "$tmp" # apt downloads as user _apt
    trap 'rm -rf "$tmp"' RETURN
    # _mkconf NAME SEED BAD: an APT_CONFIG whose source list is the failing
    # entry BAD, plus (SEED sources|lists) the machine's real sources, plus
    # (SEED lists) a copy of the machine's package lists.
    _mkconf() {
        local d="$tmp/$1"
        mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
        printf '%s\n' "$3" >"$d/sources.list"
        if [ "$2" != empty ]; then
            cp -a /etc/apt/sources.list.d/. "$d/parts/"
            [ -f /etc/apt/sources.list ] && cat /etc/apt/sources.list >>"$d/sources.list"
        fi
        if [ "$2" = lists ]; then
            cp -a /var/lib/apt/lists/. "$d/lists/"
        fi
        cat >"$d/apt.conf" <<EOF
Dir::Etc::sourcelist "$d/sources.list";
Dir::Etc::sourceparts "$d/parts";
Dir::State::Lists "$d/lists";
Dir::Cache "$d/cache";
Acquire::Retries "0";
Acquire::http::Timeout "5";
EOF
        echo "$d/apt.conf"
    }
    # Two ways an update fails: a host that does not resolve (apt warns,
    # exit 0) and a suite the machine's own mirror does not have (exit 100).
    local unreachable="deb http://pqbench-apt-selftest.invalid/debian bookworm main"
    local mirror missing_suite
    mirror="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p; s/^deb \(\[[^]]*\] \)\?\([^ ]*\) .*/\2/p' \
        /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n 1)"
    missing_suite="deb $mirror pqbench-selftest-no-such-suite main"
    _remove() { apt-get remove -y -qq "$pkg" >/dev/null 2>&1 || true; }

    echo "self-test 1: already installed (bash): no apt call"
    out="$(apt-get() { echo "apt-get called" >&2; return 1; }; apt_install bash 2>&1)"
    if [ -z "$out" ]; then echo "  ok"; else echo "  FAIL: $out"; fail=1; fi

    _remove
    echo "self-test 2: lists know $pkg: installed without an update"
    out="$(APT_CONFIG="$(_mkconf known lists "$unreachable")" apt_install "$pkg" 2>&1)"
    if dpkg -s "$pkg" >/dev/null 2>&1 && ! grep -q "apt-get update" <<<"$out"; then echo "  ok: $out"; else echo "  FAIL: $out"; fail=1; fi

    local bad n=0
    for bad in "$unreachable" "$missing_suite"; do
        _remove
        n=$((n + 1))
        echo "self-test 3.$n: empty lists, update partly fails ($bad): warning, install succeeds"
        out="$(APT_CONFIG="$(_mkconf "partial$n" sources "$bad")" apt_install "$pkg" 2>&1)"
        if dpkg -s "$pkg" >/dev/null 2>&1 && grep -q "warning: 'apt-get update' failed" <<<"$out"; then
            echo "  ok:"; sed 's/^/    /' <<<"$out"
        else
            echo "  FAIL: $out"; fail=1
        fi
    done

    _remove
    echo "self-test 4: empty lists, only an unreachable source: clear error"
    if out="$(APT_CONFIG="$(_mkconf none empty "$unreachable")" apt_install "$pkg" 2>&1)"; then
        echo "  FAIL: succeeded: $out"; fail=1
    elif grep -q "error: cannot install the Debian package(s) $pkg" <<<"$out"; then
        echo "  ok:"; sed 's/^/    /' <<<"$out"
    else
        echo "  FAIL: $out"; fail=1
    fi
    _remove
    [ "$fail" = 0 ] && echo "self-test: all passed"
    return "$fail"
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = "--self-test" ]; then
    _apt_self_test
fi
