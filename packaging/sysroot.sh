#!/usr/bin/env bash
# packaging/sysroot.sh ARCH DIR — a Debian 11 (bullseye) sysroot for linking the desk.
#
# Why: this machine is Debian 12, glibc 2.36, and a desk linked against it needs
# GLIBC_2.34 symbols, which UOS 20 and Kylin V10 (glibc 2.28–2.31) lack. Bullseye,
# glibc 2.31, is the oldest Debian release the package mirror here still serves
# (buster and older have moved to the archive, which is out of reach). We unpack
# bullseye's libc and X11/GL -dev packages for ARCH with mmdebstrap (no maintainer
# scripts, no emulation) and link with --sysroot against them.
#
# The sysroot is a cache: it is made once (~30–50 s, ~200 MB per architecture) and
# kept in DIR (~/.cache/griddesk, shared by all clones; make clean leaves it).
set -euo pipefail
arch=$1 dir=$2
[ -e "$dir/.complete" ] && exit 0

# The same mirror this machine's apt uses, so nothing new has to be reachable.
mirror=${DEBIAN_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(CODENAME)' | awk '$2 == "bookworm" { print $1; exit }')}
[ -n "$mirror" ] || { echo "sysroot: no bookworm mirror in apt's sources; set DEBIAN_MIRROR" >&2; exit 1; }

rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
echo "sysroot: bullseye $arch from $mirror into $dir"
mmdebstrap --quiet --mode=root --variant=extract --architectures="$arch" \
  --include=libc6-dev,libgl-dev,libx11-dev,libxcursor-dev,libxrandr-dev,libxinerama-dev,libxi-dev,libxxf86vm-dev,libxext-dev \
  bullseye "$dir" "deb $mirror bullseye main"

# Debian's -dev symlinks are absolute (libdl.so -> /lib/…/libdl.so.2): seen from the
# host they point outside the sysroot and the linker silently falls back to the
# static archives. Make them relative.
find "$dir" -type l -lname '/*' | while read -r link; do
  ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$(readlink "$link")")" "$link"
done
touch "$dir/.complete"
