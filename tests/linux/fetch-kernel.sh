#!/usr/bin/env bash
# Print the path of a Debian 12 amd64 kernel image, downloading and caching it
# under build/linux: by default the one linux-image-amd64 depends on (6.1);
# with an argument, the one that meta-package depends on
# (linux-image-6.12-amd64: Debian 12's 6.12).
#
# Usage: fetch-kernel.sh [META-PACKAGE]
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
meta=${1:-linux-image-amd64}
cache="$here/build/linux"
mkdir -p "$cache"

pkg=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$pkg" ]; then
	apt-get update -qq >&2
	pkg=$(apt-cache depends "$meta" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$pkg" ] || { echo "fetch-kernel.sh: cannot tell which package $meta depends on" >&2; exit 1; }

vmlinuz="$cache/$pkg/vmlinuz"
if [ ! -s "$vmlinuz" ]; then
	mkdir -p "$cache/$pkg"
	(cd "$cache/$pkg" && rm -f ./*.deb && apt-get download -q "$pkg" >&2)
	deb=$(ls "$cache/$pkg"/*.deb)
	# Only the kernel image is needed, not the modules.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/$pkg" --wildcards './boot/vmlinuz-*'
	mv "$cache/$pkg"/boot/vmlinuz-* "$vmlinuz"
	dpkg-deb -f "$deb" Version >"$cache/$pkg/version"
	rm -rf "$cache/$pkg/boot" "$deb"
fi
echo "$vmlinuz"
