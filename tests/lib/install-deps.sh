#!/usr/bin/env bash
# Install the Debian packages memprobe needs that are not there yet.
# Usage: install-deps.sh [PACKAGE...]   (default: everything build, run and tests need)
set -euo pipefail

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
	packages=(make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 fdisk libcmocka-dev clang libclang-rt-14-dev valgrind
		  acpica-tools gawk xz-utils ca-certificates jq python3-jsonschema swtpm)
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "memprobe: missing Debian packages: ${missing[*]}" >&2
	echo "memprobe: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "memprobe: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
