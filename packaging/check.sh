#!/usr/bin/env bash
# packaging/check.sh brief|full — proof that the packages work, on this Debian machine.
#
#   brief (make dist-check, part of make test, a few minutes once the Go cache is warm):
#     the server cross-built for windows/amd64, linux/arm64 and linux/loong64 answers
#     /healthz under Wine and qemu-user; the server .deb (and a desk .deb around
#     bin/griddesk, the host build of make build) install, run and uninstall in a
#     throwaway root; the unit passes systemd-analyze verify; packages and server
#     builds come out byte-identical twice.
#   full (make dist, after packaging/dist.sh): the same on dist/, plus the Windows
#     installer installing and uninstalling under Wine, the installed desk's window
#     on screen (screenshot in .cache/screens/wine-desk.png), and the arm64 desk's
#     file type and libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-brief}
export PATH=/usr/local/go/bin:$root/.cache/bin:$PATH
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
work=$root/.cache/dist-check
mkdir -p "$work" "$root/.cache/screens"
passed=0 failed=0
ok() { echo "ok    $*  [${SECONDS}s]"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*  [${SECONDS}s]"; failed=$((failed + 1)); }

free_port() { # a port nothing listens on
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

# healthz NAME PORT SECONDS CMD... : start CMD, wait for /healthz on PORT, stop it.
healthz() {
  local name=$1 port=$2 wait=$3 log pid body=""
  log=$work/$(tr -c 'a-z0-9' - <<<"$name").log
  shift 3
  "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq $((wait * 2))); do
    body=$(curl -sf "http://127.0.0.1:$port/healthz") && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
  done
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  if [[ $body == *'"status":"ok"'* ]]; then ok "$name answers /healthz: $body"
  else fail "$name: no /healthz answer; its output:"; tail -5 "$log" | sed 's/^/      /'; fi
}

# A fresh Wine prefix, with the ProcessPrng stand-in Go needs on Wine 8 (prng-shim.c).
wine_prefix() {
  export WINEPREFIX=$work/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1 || true
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    packaging/windows/prng-shim.c -lbcrypt
}

server_builds() { # DIR [TARGET…]: the server for the three foreign targets (and linux/amd64 for the .deb)
  local t dir=$1
  shift
  local targets=("$@")
  [ $# -gt 0 ] || targets=(linux/amd64 linux/arm64 linux/loong64 windows/amd64)
  for t in "${targets[@]}"; do
    CGO_ENABLED=0 GOOS=${t%/*} GOARCH=${t#*/} nice go build -trimpath -buildvcs=false -ldflags='-s -w -buildid=' \
      -o "$dir/griddesk-server-${t%/*}-${t#*/}$([ "${t%/*}" = windows ] && echo .exe)" ./server/cmd/griddesk-server
  done
}

check_servers() { # LINUX-ARM64 LINUX-LOONG64 WINDOWS-EXE
  local p
  p=$(free_port); healthz "server linux/arm64 (qemu-aarch64)" "$p" 60 env GRIDDESK_ADMIN_PASSWORD=check-password \
    qemu-aarch64-static "$1" -addr "127.0.0.1:$p" -db "$work/arm64.db" -seed none
  p=$(free_port); healthz "server linux/loong64 (qemu-loongarch64)" "$p" 60 env GRIDDESK_ADMIN_PASSWORD=check-password \
    qemu-loongarch64-static "$2" -addr "127.0.0.1:$p" -db "$work/loong64.db" -seed none
  p=$(free_port); healthz "server windows/amd64 (wine)" "$p" 90 env GRIDDESK_ADMIN_PASSWORD=check-password \
    wine "$3" -addr "127.0.0.1:$p" -db 'C:\griddesk.db' -seed none
}

# In a throwaway root (an overlay over this machine's /, in a private mount
# namespace, gone when it ends): install the .debs with dpkg, check what they
# put where, run the server as its service would, remove and purge them.
check_debs() { # DESK-DEB SERVER-DEB
  local port
  port=$(free_port)
  rm -rf "$work/root" && mkdir -p "$work/root/"{upper,work,merged}
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo   # mounts need root
  if $sudo unshare -m --propagation private bash packaging/check-debs.sh "$work/root" "$1" "$2" "$port" >"$work/debs.log" 2>&1; then
    grep -E '^(installed|systemd-analyze|server as|removed):? ' "$work/debs.log" | sed 's/^/      /'
    ok "the .debs install, run as a service would, and uninstall in a throwaway root"
  else
    sed 's/^/      /' "$work/debs.log"; fail "the .debs in a throwaway root"
  fi
  rm -rf "$work/root"
}

# same NAME FILE CMD... : CMD makes FILE again; it must come out byte-identical.
same() {
  local name=$1 file=$2 before
  shift 2
  before=$(sha256sum <"$file")
  mv "$file" "$file.first"
  "$@" >/dev/null
  if [ "$(sha256sum <"$file")" = "$before" ]; then ok "$name: byte-identical when built again (${before:0:16}…)"
  else fail "$name: differs when built again"; fi
  rm -f "$file.first"
}

if [ "$mode" = brief ]; then
  export DEB_XZ_LEVEL=1   # these .debs are thrown away after the check
  b=$work/bin
  rm -rf "$b" "$work/debs" && mkdir -p "$b" "$work/debs"
  echo "building the server for linux/amd64, linux/arm64, linux/loong64, windows/amd64"
  server_builds "$b"
  same "server windows/amd64 .exe (linked again)" "$b/griddesk-server-windows-amd64.exe" server_builds "$b" windows/amd64
  wine_prefix
  check_servers "$b/griddesk-server-linux-arm64" "$b/griddesk-server-linux-loong64" "$b/griddesk-server-windows-amd64.exe"
  bash packaging/deb.sh server amd64 "$b/griddesk-server-linux-amd64" "$work/debs"
  bash packaging/deb.sh desk amd64 bin/griddesk "$work/debs"
  same "griddesk-server .deb" "$work/debs/griddesk-server_${version}_amd64.deb" \
    bash packaging/deb.sh server amd64 "$b/griddesk-server-linux-amd64" "$work/debs"
  check_debs "$work/debs/griddesk_${version}_amd64.deb" "$work/debs/griddesk-server_${version}_amd64.deb"
else
  d=$root/dist
  [ -s "$d/SHA256SUMS" ] || { echo "check: no dist/SHA256SUMS; run make dist" >&2; exit 1; }
  (cd "$d" && sha256sum --quiet -c SHA256SUMS) && ok "dist/SHA256SUMS matches the files"
  x=$work/unpacked
  rm -rf "$x" && mkdir -p "$x"
  for a in amd64 arm64; do
    dpkg-deb -x "$d/griddesk-server_${version}_$a.deb" "$x/server-$a"
    dpkg-deb -x "$d/griddesk_${version}_$a.deb" "$x/desk-$a"
  done
  tar -xzf "$d/griddesk-server-$version-linux-loong64.tar.gz" -C "$x"
  wine_prefix
  check_servers "$x/server-arm64/usr/bin/griddesk-server" "$x/griddesk-server-$version-linux-loong64/griddesk-server" \
    "$d/griddesk-server-$version-windows-amd64.exe"

  # The arm64 desk: what it is and what it needs from the system.
  f=$x/desk-arm64/usr/bin/griddesk
  file -b "$f" | grep -q 'ARM aarch64.*dynamically linked' && ok "arm64 desk: $(file -b "$f" | cut -d, -f1-6)"
  echo "      needs: $(aarch64-linux-gnu-objdump -p "$f" | awk '$1 == "NEEDED" { printf "%s ", $2 }')"
  for a in amd64 arm64; do
    echo "      griddesk_${version}_$a.deb: $(dpkg-deb -f "$d/griddesk_${version}_$a.deb" Depends)"
  done

  # The Windows desk: a GUI executable with its icon, version and manifest.
  e=$d/griddesk-$version-windows-amd64.exe
  if file -b "$e" | grep -q 'PE32+ executable (GUI) x86-64' && x86_64-w64-mingw32-objdump -h "$e" | grep -q '\.rsrc' &&
     strings -el "$e" | grep -qx "$version.1" && strings "$e" | grep -q "assemblyIdentity version=\"$version.1\""; then
    ok "windows desk: $(file -b "$e"), with icon, version $version.1 and manifest"
  else fail "windows desk: not a GUI .exe with resources"; fi

  check_debs "$d/griddesk_${version}_amd64.deb" "$d/griddesk-server_${version}_amd64.deb"
  bash packaging/check-wine-desk.sh "$d/griddesk-$version-windows-amd64-setup.exe" "$work" && ok "windows installer and desk under Wine" \
    || fail "windows installer and desk under Wine"
fi
wineserver -k 2>/dev/null || true
echo "dist-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
