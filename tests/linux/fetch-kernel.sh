#!/usr/bin/env bash
# Print the path of Debian 12's amd64 kernel image (the package that
# linux-image-amd64 depends on), downloading and caching it under build/linux.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cache="$here/build/linux"
mkdir -p "$cache"

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$pkg" ]; then
	apt-get update -qq >&2
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$pkg" ] || { echo "fetch-kernel.sh: cannot tell which package linux-image-amd64 depends on" >&2; exit 1; }

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
