# Sourced by bin/test: makes sure what the tests talk to is installed and running:
# PostgreSQL and Redis on localhost, Debian's chromium + chromium-driver for the browser tests, and promtool
# (Debian's prometheus package) for the alert rules' check, and Node.js (18 or later) for the mini program
# helper's tests (examples/miniprogram, run by MiniProgramLoginHelperTest).
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq >/dev/null && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "Installing chromium and chromium-driver for the browser tests..."
  apt_install chromium chromium-driver
fi

if ! command -v promtool >/dev/null; then
  echo "Installing prometheus (promtool) for the alert rules' check..."
  apt_install --no-install-recommends prometheus
fi

if ! command -v node >/dev/null; then
  echo "Installing nodejs for the mini program helper's tests..."
  apt_install --no-install-recommends nodejs
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "Installing PostgreSQL..."
    apt_install postgresql
  fi
  echo "Starting PostgreSQL..."
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; return 1 2>/dev/null || exit 1; }

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
if ! redis_up; then
  if ! command -v redis-server >/dev/null; then
    echo "Installing Redis..."
    apt_install redis-server
  fi
  echo "Starting Redis..."
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
redis_up || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; return 1 2>/dev/null || exit 1; }

# The tests connect as postgres/postgres to the database "test" (trust auth accepts any password;
# a freshly installed server gets that password set here).
if command -v psql >/dev/null; then
  if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
    as_root su postgres -c "createdb test" >/dev/null 2>&1 || true
  fi
fi
