#!/usr/bin/env bash
# End to end under QEMU: memprobe.efi against a trivial UEFI application
# (tests/bench/trivial.c: one line, then power off) on the same VM (the seed
# VM: pc, two 2 GiB nodes, OVMF, TCG) and firmware, from QEMU's start to its
# exit, console to a null serial port.  The two alternate, RUNS boots each;
# it prints each one's median and the ratio.  A benchmark: it prints numbers
# and fails only when a boot fails.
#
# Usage: boot.sh [RUNS]   (default 5)
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-bench-boot.XXXXXX")
trap 'rm -rf "$work"' EXIT

make -s -C "$here" image build/trivial.efi || exit 1
printf 'poweroff\n' >"$work/memprobe.conf"
cp "$here/build/memprobe.img" "$work/memprobe.img"
mmd -i "$work/memprobe.img" ::/memprobe 2>/dev/null
mcopy -o -i "$work/memprobe.img" "$work/memprobe.conf" ::/memprobe/memprobe.conf
cp "$here/build/memprobe.img" "$work/trivial.img"
mcopy -o -i "$work/trivial.img" "$here/build/trivial.efi" ::/EFI/BOOT/BOOTX64.EFI

# boot IMAGE: milliseconds from QEMU's start to its exit.
boot() {
	local start end
	cp /usr/share/OVMF/OVMF_VARS.fd "$work/vars.fd"
	start=$(date +%s%N)
	timeout 300 qemu-system-x86_64 -machine pc -accel tcg -m 4096M -smp 4 \
		-object memory-backend-ram,id=m0,size=2048M -numa node,nodeid=0,cpus=0-1,memdev=m0 \
		-object memory-backend-ram,id=m1,size=2048M -numa node,nodeid=1,cpus=2-3,memdev=m1 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd \
		-drive if=pflash,format=raw,file="$work/vars.fd" -drive format=raw,file="$1" \
		-nic none -vga none -display none -serial null -no-reboot </dev/null || return 1
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

for _ in $(seq "$runs"); do
	boot "$work/memprobe.img" >>"$work/memprobe.ms" || { echo "bench: memprobe's boot failed" >&2; exit 1; }
	boot "$work/trivial.img" >>"$work/trivial.ms" || { echo "bench: the trivial app's boot failed" >&2; exit 1; }
done
m=$(median <"$work/memprobe.ms") t=$(median <"$work/trivial.ms")
echo "boot end to end (seed VM, OVMF, TCG, $runs alternating runs each, median):" \
	"memprobe $m ms, trivial app $t ms, ratio $(awk -v m="$m" -v t="$t" 'BEGIN { printf "%.2f", m / t }')x" \
	"(memprobe's own: $((m - t)) ms)"
echo "  memprobe runs (ms): $(tr '\n' ' ' <"$work/memprobe.ms")"
echo "  trivial runs (ms):  $(tr '\n' ' ' <"$work/trivial.ms")"
