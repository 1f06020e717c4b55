# Shared helpers for bin/ scripts. Source it; do not run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

ensure_python_deps() {
  if [ ! -x "$PY" ]; then
    say "Creating the virtualenv in .venv"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.lock.sha"
  local want
  want="$(sha256sum requirements.lock | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Python dependencies (requirements.lock)"
    "$PY" -m pip install --quiet --upgrade pip 2>/dev/null || true
    "$PY" -m pip install --quiet -r requirements.lock 2> >(grep -v "is ignored: it is neither" >&2)
    echo "$want" > "$stamp"
  fi
}

ensure_front_end() {
  if ! command -v npm >/dev/null 2>&1; then
    say "Installing Node.js and npm (Debian packages)"
    apt_install nodejs npm
  fi
  local stamp="node_modules/.package-lock.sha"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing front-end packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error 2> >(grep -v 'Unknown user config' >&2)
    echo "$want" > "$stamp"
  fi
  say "Building the stylesheet"
  mkdir -p static/build
  node_modules/.bin/sass --load-path=node_modules --no-source-map --style=compressed \
    --quiet-deps static/src/portal.scss static/build/portal.css
}

apt_install() {
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium for the browser tests (Debian package)"
    apt_install chromium
  fi
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    say "Starting PostgreSQL"
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
      apt_install postgresql
    fi
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do
      pg_isready -h 127.0.0.1 -p 5432 -q && break
      sleep 1
    done
  fi
  pg_isready -h 127.0.0.1 -p 5432
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "Starting Redis"
    if ! command -v redis-server >/dev/null 2>&1; then
      apt_install redis-server
    fi
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 30); do
      redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
      sleep 0.5
    done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
}
