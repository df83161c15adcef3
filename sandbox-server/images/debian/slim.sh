#!/bin/sh
# Turns a `debootstrap --variant=minbase` tree ($1) into something close to debian:bookworm-slim:
# apt tuned for containers (no recommends cache, no docs/man pages), caches and logs emptied.
# Runs on the host as root, against the tree, before `tar | docker import`.
set -eu
root="$1"
[ -d "$root/etc/apt" ] || { echo "slim.sh: $root is not a Debian tree" >&2; exit 1; }

# Like the official image: keep the package cache clean and skip documentation.
cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
cat > "$root/etc/apt/apt.conf.d/docker-gzip-indexes" <<'CONF'
Acquire::GzipIndexes "true";
CONF
cat > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'CONF'
Apt::AutoRemove::SuggestsImportant "false";
CONF
cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
# Containers have no init system to start services during package installation.
cat > "$root/usr/sbin/policy-rc.d" <<'CONF'
#!/bin/sh
exit 101
CONF
chmod 0755 "$root/usr/sbin/policy-rc.d"

find "$root/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$root/usr/share/man"/* "$root/usr/share/info"/* 2>/dev/null || true
rm -rf "$root/var/cache/apt"/*.bin "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/* 2>/dev/null || true
rm -f "$root/var/log"/*.log "$root/var/log/apt"/* "$root/var/cache/ldconfig/aux-cache" 2>/dev/null || true
rm -rf "$root/tmp"/* "$root/root/.cache" 2>/dev/null || true
: > "$root/etc/machine-id"
# A container sets its own hostname and resolv.conf; debootstrap copied the host's.
rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
