#!/usr/bin/env bash
# End to end under QEMU: memprobe.efi against a trivial UEFI application
# (tests/bench/trivial.c: one line, then power off) on the same VM (the seed
# VM: pc, two 2 GiB nodes, OVMF, TCG) and firmware, from QEMU's start to its
# exit, console to a serial port written to a file.  The two alternate, RUNS boots each;
# it prints each one's median and the ratio.  A benchmark: it prints numbers
# and fails only when a boot fails.
#
# The boot disk is virtio first, then IDE.  memprobe writes its run folder
# (six files) there; OVMF's IDE driver under TCG takes about 20 ms for each
# file-system call that writes, so the IDE figure mostly measures that path
# (a stick's USB or a machine's NVMe is not that slow).
#
# A boot under TCG here varies by a second or more from run to run, more
# than memprobe's own time, so the medians' ratio is a rough figure.  memprobe
# also times itself with the TSC, from its start to the run folder's close
# ("memprobe: finished in N us since its start"); the median of that added to
# the trivial app's median boot is the steadier ratio.
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

# boot IMAGE INTERFACE: milliseconds from QEMU's start to its exit.
boot() {
	local start end
	cp /usr/share/OVMF/OVMF_VARS.fd "$work/vars.fd"
	cp "$1" "$work/disk.img"
	start=$(date +%s%N)
	timeout 300 qemu-system-x86_64 -machine pc -accel tcg -m 4096M -smp 4 \
		-object memory-backend-ram,id=m0,size=2048M -numa node,nodeid=0,cpus=0-1,memdev=m0 \
		-object memory-backend-ram,id=m1,size=2048M -numa node,nodeid=1,cpus=2-3,memdev=m1 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd \
		-drive if=pflash,format=raw,file="$work/vars.fd" -drive if="$2",format=raw,file="$work/disk.img" \
		-nic none -vga none -display none -serial file:"$work/serial.txt" -no-reboot </dev/null || return 1
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

for disk in virtio ide; do
	for _ in $(seq "$runs"); do
		boot "$work/memprobe.img" $disk >>"$work/memprobe.$disk" || { echo "bench: memprobe's boot failed" >&2; exit 1; }
		sed -n 's/^memprobe: finished in \([0-9]*\) us since its start.*/\1/p' "$work/serial.txt" |
			tr -d '\r' >>"$work/own.$disk"
		boot "$work/trivial.img" $disk >>"$work/trivial.$disk" || { echo "bench: the trivial app's boot failed" >&2; exit 1; }
	done
	m=$(median <"$work/memprobe.$disk") t=$(median <"$work/trivial.$disk")
	echo "boot end to end (seed VM, OVMF, TCG, $disk disk, $runs alternating runs each, median):" \
		"memprobe $m ms, trivial app $t ms, ratio $(awk -v m="$m" -v t="$t" 'BEGIN { printf "%.2f", m / t }')x" \
		"(memprobe's own: $((m - t)) ms)"
	[ -s "$work/own.$disk" ] || { echo "bench: memprobe did not print its 'finished in' line" >&2; exit 1; }
	own=$(($(median <"$work/own.$disk") / 1000))
	echo "  memprobe's own time (TSC, median): $own ms; with the trivial app's median boot:" \
		"ratio $(awk -v o="$own" -v t="$t" 'BEGIN { printf "%.3f", (t + o) / t }')x"
	echo "  memprobe runs (ms): $(tr '\n' ' ' <"$work/memprobe.$disk")"
	echo "  trivial runs (ms):  $(tr '\n' ' ' <"$work/trivial.$disk")"
done
