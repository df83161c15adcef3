#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback when it is not running, and make the role and the
# database the integration tests use. Prints the URL to export as DOCKYARD_TEST_DATABASE_URL.
# Used by CI and by developers on a machine without a service manager.
set -euo pipefail

role=${DOCKYARD_TEST_PG_ROLE:-dockyard}
password=${DOCKYARD_TEST_PG_PASSWORD:-dockyard-test}
database=${DOCKYARD_TEST_PG_DATABASE:-dockyard_test}

command -v pg_lsclusters >/dev/null 2>&1 || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$name" start >&2
fi
for _ in $(seq 1 60); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtA $*"; }
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname = '$role'\"")" != "1" ]; then
  psql_admin "-c \"create role $role login createdb password '$password'\"" >&2
fi
# Each test file drops its database `with (force)`, which also ends an autovacuum worker that
# happens to be in it; ending a backend of another role needs pg_signal_backend.
psql_admin "-c \"grant pg_signal_backend to $role\"" >&2
if [ "$(psql_admin "-c \"select 1 from pg_database where datname = '$database'\"")" != "1" ]; then
  psql_admin "-c \"create database $database owner $role\"" >&2
fi
echo "postgres://$role:$password@127.0.0.1:$port/$database"
