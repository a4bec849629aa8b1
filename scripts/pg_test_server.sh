#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for docflow's store tests.
#
#   scripts/pg_test_server.sh            start one; prints its URL on stdout, e.g.
#                                        postgresql://docflow@127.0.0.1:54321/docflow_test
#   scripts/pg_test_server.sh stop [DIR] stop it and delete its folder (default: the last one
#                                        started from this checkout, recorded in
#                                        ${TMPDIR:-/tmp}/docflow-pg-last.<hash of the checkout path>)
#
# Typical use:
#   export DOCFLOW_TEST_PG_URL=$(scripts/pg_test_server.sh) && pytest tests/store; \
#   scripts/pg_test_server.sh stop
#
# Installs postgresql from Debian packages when no server binaries are found. PostgreSQL will
# not run as root: as root, the cluster runs as the user `postgres` (or `pgtest`, created when
# neither exists). The cluster trusts local connections, listens on 127.0.0.1 only, and runs
# with fsync off: it is for tests, never for data.
set -euo pipefail

# Each checkout records its own last cluster, so that stopping "the last one" never stops a
# cluster another checkout (another worktree, a CI run) is using.
CHECKOUT=$(cd "$(dirname "$0")/.." && pwd -P)
LAST="${TMPDIR:-/tmp}/docflow-pg-last.$(printf '%s' "$CHECKOUT" | cksum | cut -d' ' -f1)"

log() { echo "pg_test_server: $*" >&2; }

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_server() {
    [[ $(id -u) -eq 0 ]] || { log "PostgreSQL is not installed and installing it needs root"; exit 1; }
    log "installing PostgreSQL from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

run_as() {
    # Run "$@" as the cluster owner (the current user unless we are root).
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$OWNER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

start() {
    local bindir dir port
    bindir=$(find_bindir) || { install_server; bindir=$(find_bindir); }
    OWNER=$(id -un)
    if [[ $(id -u) -eq 0 ]]; then
        if id postgres >/dev/null 2>&1; then
            OWNER=postgres
        else
            id pgtest >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin pgtest
            OWNER=pgtest
        fi
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/docflow-pg.XXXXXX")
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown "$OWNER" "$dir"
    run_as "$bindir/initdb" -D "$dir/data" -U docflow -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    run_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    run_as "$bindir/createdb" -h 127.0.0.1 -p "$port" -U docflow docflow_test
    printf '%s\n' "$bindir" >"$dir/bindir"
    printf '%s\n' "$OWNER" >"$dir/owner"
    printf '%s\n' "$dir" >"$LAST"
    log "started in $dir (stop with: $0 stop $dir)"
    echo "postgresql://docflow@127.0.0.1:$port/docflow_test"
}

stop() {
    local dir="${1:-}"
    if [[ -z "$dir" ]]; then
        [[ -f "$LAST" ]] || { log "no cluster recorded in $LAST; name its folder"; exit 2; }
        dir=$(cat "$LAST")
    fi
    [[ -f "$dir/bindir" ]] || { log "$dir is not a cluster started by this script"; exit 2; }
    OWNER=$(cat "$dir/owner")
    run_as "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    if [[ -f "$LAST" && "$(cat "$LAST")" == "$dir" ]]; then
        rm -f "$LAST"
    fi
    log "stopped and removed $dir"
}

case "${1:-start}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 [start|stop [DIR]]" >&2; exit 2 ;;
esac
