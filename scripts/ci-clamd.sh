#!/usr/bin/env bash
# Starts a local clamd for the real-clamd test, with a signature database that knows only the
# EICAR test file (an MD5 hash signature), so no virus database has to be downloaded.
#
#   scripts/ci-clamd.sh [port]          # default port 3310; prints "127.0.0.1:<port>" on stdout
#   CLAMD_TEST_ADDRESS=$(scripts/ci-clamd.sh 3310) npx vitest run src/server/platform/files
#
# Stop it with: kill "$(cat "$CLAMD_DIR/clamd.pid")" (the directory is reported on stderr).
set -euo pipefail

PORT="${1:-${CLAMD_PORT:-3310}}"
ADDRESS="127.0.0.1:${PORT}"
export PATH="$PATH:/usr/sbin:/sbin"

ping_clamd() {
  # clamd's "n" commands are newline-terminated; the answer to nPING is "PONG".
  (
    exec 3<>"/dev/tcp/127.0.0.1/${PORT}" || exit 1
    printf 'nPING\n' >&3
    IFS= read -r -t 2 reply <&3 || true
    [[ "${reply:-}" == "PONG" ]]
  ) 2>/dev/null
}

if ping_clamd; then
  echo "clamd đã chạy sẵn tại ${ADDRESS}" >&2
  echo "$ADDRESS"
  exit 0
fi

if ! command -v clamd >/dev/null 2>&1; then
  echo "Cài clamav-daemon…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq clamav-daemon >&2
fi

CLAMD_DIR="${CLAMD_DIR:-$(mktemp -d /tmp/tinhso-clamd.XXXXXX)}"
mkdir -p "$CLAMD_DIR/db"

# EICAR: the standard 68-byte anti-virus test file. .hdb format is "md5:size:name".
EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
EICAR_MD5="$(printf '%s' "$EICAR" | md5sum | cut -d' ' -f1)"
printf '%s:%s:Eicar-Test-Signature\n' "$EICAR_MD5" "${#EICAR}" > "$CLAMD_DIR/db/eicar.hdb"

cat > "$CLAMD_DIR/clamd.conf" <<CONF
DatabaseDirectory $CLAMD_DIR/db
TCPSocket $PORT
TCPAddr 127.0.0.1
PidFile $CLAMD_DIR/clamd.pid
LogFile $CLAMD_DIR/clamd.log
TemporaryDirectory $CLAMD_DIR
User $(id -un)
Foreground no
Bytecode no
StreamMaxLength 64M
CONF

# Without "Foreground", clamd loads the database, forks into the background and returns.
clamd --config-file="$CLAMD_DIR/clamd.conf" >&2

for _ in $(seq 1 60); do
  if ping_clamd; then
    echo "clamd chạy tại ${ADDRESS} (thư mục ${CLAMD_DIR}; dừng: kill \$(cat ${CLAMD_DIR}/clamd.pid))" >&2
    echo "$ADDRESS"
    exit 0
  fi
  sleep 0.5
done

echo "clamd không trả lời PING tại ${ADDRESS}; xem ${CLAMD_DIR}/clamd.log" >&2
cat "$CLAMD_DIR/clamd.log" >&2 || true
exit 1
