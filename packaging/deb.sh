#!/usr/bin/env bash
# packaging/deb.sh desk|server ARCH BINARY OUTDIR — a .deb of the desk or the server.
#
# Plain dpkg-deb, no debhelper: two small packages do not need a debian/ tree,
# and dpkg-deb alone is easy to make reproducible (files owned by root, every
# mtime set to SOURCE_DATE_EPOCH, single-threaded xz, members sorted by dpkg-deb).
# The oldest glibc the package needs is read off the binary (objdump -T) and
# goes into Depends: libc6 (>= …); the shared libraries it needs become Depends
# through the table below, which fails on a library it does not know.
set -euo pipefail
what=$1 arch=$2 bin=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
: "${SOURCE_DATE_EPOCH:=$(git -C "$root" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")

case $arch in
  amd64) objdump=objdump ;;
  arm64) objdump=aarch64-linux-gnu-objdump ;;
  *) echo "deb: no packages for $arch" >&2; exit 1 ;;
esac

# glibc_needed BINARY: the highest GLIBC_x.y symbol version it uses ("" if static).
glibc_needed() {
  "$objdump" -T "$1" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1 || true
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin"

if [[ $what == desk ]]; then
  pkg=griddesk
  install -m 0755 "$bin" "$stage/usr/bin/griddesk"
  install -D -m 0644 "$here/linux/griddesk.desktop" "$stage/usr/share/applications/cn.griddesk.desk.desktop"
  install -D -m 0644 "$root/assets/icon.png" "$stage/usr/share/icons/hicolor/256x256/apps/griddesk.png"
  glibc=$(glibc_needed "$bin")
  [ -n "$glibc" ] || { echo "deb: $bin has no GLIBC symbol versions; is it the desk?" >&2; exit 1; }
  # NEEDED libraries, plus the X11 extensions GLFW opens with dlopen at run time.
  deps="libc6 (>= $glibc)"
  declare -A pkgof=([libGL.so.1]=libgl1 [libX11.so.6]=libx11-6 [libresolv.so.2]=- [libm.so.6]=- [libdl.so.2]=-
                    [libpthread.so.0]=- [libc.so.6]=- [librt.so.1]=-)
  for lib in $("$objdump" -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
    p=${pkgof[$lib]:-}
    [ -n "$p" ] || { echo "deb: $bin needs $lib: add its package to packaging/deb.sh" >&2; exit 1; }
    [ "$p" = - ] || deps+=", $p"
  done
  deps+=", libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1"
  section=misc
  summary="GridDesk 网格指挥台, the desk of a grid-governance command center"
  long=" The live map of grids and colour-coded entities, the open-case queue with
 its response clocks, inspection rounds and reviews; works offline from a
 local copy kept in step with a GridDesk server.
 .
 Needs glibc $glibc or newer (read off the binary)."
else
  pkg=griddesk-server
  install -m 0755 "$bin" "$stage/usr/bin/griddesk-server"
  install -D -m 0644 "$here/linux/griddesk-server.service" "$stage/lib/systemd/system/griddesk-server.service"
  install -D -m 0644 "$here/linux/server.conf" "$stage/etc/griddesk/server.conf"
  echo /etc/griddesk/server.conf > "$stage/DEBIAN/conffiles"
  for s in postinst prerm postrm; do install -m 0755 "$here/linux/server.$s" "$stage/DEBIAN/$s"; done
  glibc=$(glibc_needed "$bin")
  [ -z "$glibc" ] || { echo "deb: the server should be static (CGO_ENABLED=0) but needs glibc $glibc" >&2; exit 1; }
  deps="passwd, init-system-helpers"
  section=net
  summary="GridDesk server, the REST backend of GridDesk 网格指挥台 desks"
  long=" Serves the GridDesk API to desks, field apps and the 12345 hotline; runs as
 the systemd service griddesk-server under its own user, set up in
 /etc/griddesk/server.conf.
 .
 A static binary: it needs no particular glibc."
fi

cat > "$stage/DEBIAN/control" <<CTL
Package: $pkg
Version: $version
Architecture: $arch
Maintainer: GridDesk <dev@griddesk.example>
Section: $section
Priority: optional
Installed-Size: $(du -sk --apparent-size --exclude=DEBIAN "$stage" | cut -f1)
Depends: $deps
Homepage: https://griddesk.example
Description: $summary
$long
CTL

# Same bytes from the same inputs: fixed permissions and times, root:root (--root-owner-group).
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb="$out/${pkg}_${version}_${arch}.deb"
# xz -6 for releases; the brief check passes DEB_XZ_LEVEL=1 (a quarter of the time on a 20 MB binary).
dpkg-deb --root-owner-group -Zxz -z"${DEB_XZ_LEVEL:-6}" --threads-max=1 --build "$stage" "$deb" >/dev/null
echo "deb: $(basename "$deb")  Depends: $deps"
