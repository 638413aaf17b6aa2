#!/usr/bin/env bash
# packaging/dist.sh — every package of a release into dist/ (`make dist`):
#   Windows x64   GridDesk desk .exe (icon, version info, manifest) and its installer, server .exe
#   Linux amd64, arm64   .deb of the desk and of the server (systemd service)
#   Linux loong64        the server, a static binary with its unit and config (.tar.gz)
# then dist/SHA256SUMS. Checked by packaging/check.sh full (make dist runs it).
#
# Reproducible: the same commit gives the same files. The Go builds use -trimpath,
# -buildvcs=false and an empty build ID; file times come from SOURCE_DATE_EPOCH,
# the commit's time; the packagers are told to store no times of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH=/usr/local/go/bin:$root/.cache/bin:$PATH
out=${DIST:-$root/dist}
work=$root/.cache/dist
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS"; }

# Build from a clean copy of the commit (with any uncommitted changes to tracked
# files): `fyne package` bumps FyneApp.toml's Build and drops fyne.syso and an
# init file into the source directory while it runs; in the copy that touches
# neither the work tree nor a `go build` running beside it.
rev=$(git stash create) || true
src=$work/src
rm -rf "$src" "$out" && mkdir -p "$src" "$out"
git archive "${rev:-HEAD}" | tar -x -C "$src"

gobuild_server() { # GOOS GOARCH OUTPUT
  step "server $1/$2"
  CGO_ENABLED=0 GOOS=$1 GOARCH=$2 nice go build -C "$src" -trimpath -buildvcs=false \
    -ldflags='-s -w -buildid=' -o "$3" ./server/cmd/griddesk-server
}

# fyne build/package: release mode (-trimpath, -s -w, the release and
# migrated_fynedo tags), the app metadata of FyneApp.toml compiled in.
export GOFLAGS='-buildvcs=false -ldflags=-buildid='

desk_linux() { # ARCH CC TRIPLET OUTPUT
  # Outside the checkout, so that every clone on this machine shares it and the Go
  # build cache (whose keys include CC and CGO_LDFLAGS, so the sysroot's path) stays warm.
  local sr=${XDG_CACHE_HOME:-$HOME/.cache}/griddesk/sysroot-bullseye-$1
  bash packaging/sysroot.sh "$1" "$sr"
  step "desk linux/$1 (glibc of Debian 11)"
  # -L first: the cross toolchain's own libgcc_s wants glibc 2.35, the sysroot's does not.
  (cd "$src" && GOARCH=$1 CC="$2 --sysroot=$sr" CGO_LDFLAGS="-L$sr/lib/$3 -L$sr/usr/lib/$3" \
     nice fyne build --target linux --release -o "$4")
}

bin=$work/bin
rm -rf "$bin" && mkdir -p "$bin"
gobuild_server linux amd64 "$bin/griddesk-server-linux-amd64"
gobuild_server linux arm64 "$bin/griddesk-server-linux-arm64"
gobuild_server linux loong64 "$bin/griddesk-server-linux-loong64"
gobuild_server windows amd64 "$out/griddesk-server-$version-windows-amd64.exe"

desk_linux amd64 gcc x86_64-linux-gnu "$bin/griddesk-linux-amd64"
desk_linux arm64 aarch64-linux-gnu-gcc aarch64-linux-gnu "$bin/griddesk-linux-arm64"

step "desk windows/amd64: fyne package"
# The manifest is fyne's own (assembly identity and version). A fuller one (asInvoker,
# Windows 10/11, DPI awareness) was tried and dropped: nothing here can check it on a
# real Windows, and under Wine it changed nothing that could be seen.
(cd "$src" && GOARCH=amd64 CC=x86_64-w64-mingw32-gcc nice fyne package --target windows --release)
mv "$src/GridDesk.exe" "$out/griddesk-$version-windows-amd64.exe"

step "installer: makensis"
convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 "$work/griddesk.ico"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DICON="$work/griddesk.ico" \
  -DDESK="$out/griddesk-$version-windows-amd64.exe" \
  -DOUTFILE="$out/griddesk-$version-windows-amd64-setup.exe" packaging/windows/griddesk.nsi

step "packages"
for a in amd64 arm64; do
  bash packaging/deb.sh desk "$a" "$bin/griddesk-linux-$a" "$out"
  bash packaging/deb.sh server "$a" "$bin/griddesk-server-linux-$a" "$out"
done
# LoongArch: no Debian release carries it, and UOS/Kylin name the architecture
# differently (loongarch64, not Debian's loong64), so a tarball, not a .deb.
t=$work/griddesk-server-$version-linux-loong64
rm -rf "$t" && mkdir -p "$t"
install -m 0755 "$bin/griddesk-server-linux-loong64" "$t/griddesk-server"
install -m 0644 packaging/linux/griddesk-server.service packaging/linux/server.conf "$t/"
tar -C "$work" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -c "$(basename "$t")" | gzip -9 -n > "$out/$(basename "$t").tar.gz"

(cd "$out" && sha256sum -- * > SHA256SUMS)
step "dist/ done"
ls -l "$out"
cat "$out/SHA256SUMS"
