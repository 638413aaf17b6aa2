#!/usr/bin/env bash
# packaging/check-debs.sh DIR DESK-DEB SERVER-DEB PORT — run by check.sh inside
# `unshare -m`: DIR/merged becomes an overlay of this machine's / (changes go to
# DIR/upper and vanish with it), the .debs are installed there with dpkg --root
# (their maintainer scripts run chrooted in it), used, removed and purged.
set -euo pipefail
dir=$1 desk=$2 server=$3 port=$4
r=$dir/merged
mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$r"
mount --rbind /dev "$r/dev"
mount -t proc proc "$r/proc"
mount -t tmpfs tmpfs "$r/run"   # no /run/systemd/system: no running systemd in there
inroot() { chroot "$r" "$@"; }
die() { echo "$*" >&2; exit 1; }

cp "$desk" "$server" "$r/tmp/"
dpkg --root="$r" --force-not-root -i "$r/tmp/$(basename "$desk")" "$r/tmp/$(basename "$server")"
for f in /usr/bin/griddesk /usr/share/applications/cn.griddesk.desk.desktop /usr/share/icons/hicolor/256x256/apps/griddesk.png \
         /usr/bin/griddesk-server /lib/systemd/system/griddesk-server.service /etc/griddesk/server.conf /etc/griddesk/admin-password \
         /etc/systemd/system/multi-user.target.wants/griddesk-server.service; do
  [ -e "$r$f" ] || [ -L "$r$f" ] || die "missing after install: $f"   # -L: links point inside the root
done
inroot getent passwd griddesk >/dev/null || die "no griddesk user"
[ "$(inroot stat -c '%U:%G %a' /etc/griddesk/admin-password)" = "root:griddesk 640" ] || die "admin-password: wrong owner or mode"
grep -q '^Name\[zh_CN\]=网格指挥台$' "$r/usr/share/applications/cn.griddesk.desk.desktop" || die "no Chinese name in the .desktop entry"
desktop-file-validate "$r/usr/share/applications/cn.griddesk.desk.desktop" || die "the .desktop entry does not validate"
echo "installed: $(inroot dpkg-query -W -f='${Package} ${Version} ${Architecture}; ' griddesk griddesk-server)"

# The unit as systemd reads it (the binary it names is there now).
inroot systemd-analyze verify /lib/systemd/system/griddesk-server.service || die "systemd-analyze verify failed"
echo "systemd-analyze verify griddesk-server.service: no complaint"

# The server as the unit starts it: its user, its config file, its state directory
# (StateDirectory= would make it), the admin password from the file.
install -d -o "$(inroot id -u griddesk)" -g "$(inroot id -g griddesk)" -m 0750 "$r/var/lib/griddesk"
inroot env -i GRIDDESK_ADDR="127.0.0.1:$port" setpriv --reuid=griddesk --regid=griddesk --init-groups \
  /usr/bin/griddesk-server -config /etc/griddesk/server.conf >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
pw=$(cat "$r/etc/griddesk/admin-password")
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/login" \
  -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$pw\"}")
kill $pid; wait $pid || true
[ "$code" = 200 ] || { cat "$dir/server.log"; die "login as admin with /etc/griddesk/admin-password: HTTP $code"; }
[ -s "$r/var/lib/griddesk/griddesk.db" ] || die "no database in /var/lib/griddesk"
echo "server as the griddesk user from /etc/griddesk/server.conf: /healthz answers, admin logs in with the password file"

dpkg --root="$r" --force-not-root -r griddesk griddesk-server
for f in /usr/bin/griddesk /usr/share/applications/cn.griddesk.desk.desktop /usr/bin/griddesk-server \
         /lib/systemd/system/griddesk-server.service; do
  [ ! -e "$r$f" ] || die "left after remove: $f"
done
[ -e "$r/etc/griddesk/server.conf" ] || die "remove took the config file (only purge should)"
dpkg --root="$r" --force-not-root -P griddesk griddesk-server
[ ! -e "$r/etc/griddesk" ] || die "left after purge: /etc/griddesk"
left=$(find "$r/etc/systemd" -name 'griddesk-server*')
[ -z "$left" ] || die "left after purge: $left"
[ -s "$r/var/lib/griddesk/griddesk.db" ] || die "purge removed the database"
inroot dpkg-query -W griddesk griddesk-server 2>/dev/null | grep -q . && die "still known to dpkg after purge"
echo "removed: program files gone, config kept; purged: /etc/griddesk and the service's enablement gone, the database in /var/lib/griddesk kept"
