#!/usr/bin/env bash
# The host tool (ASan build) against hostile and damaged inputs: each case is
# numbered as the hostile-inputs issue lists it.  Every input is bounded
# (size, time, memory), named when refused (exit 2), and never waited on.
# `timeout` only stops a run that hangs, so that the failure is reported; a
# correct run returns at once.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe-asan"
run="$here/tests/data/runs/seed"
log="$here/tests/data/linux-6.1/seed.log"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

# 2. A huge memmap.bin: refused by its size before it is read; a valid header over 16 MiB
# of zero descriptors: Linux's invalid-entry lines a few, then a count.
cp -r "$run" "$work/huge" && truncate -s 1G "$work/huge/memmap.bin"
timeout 60 "$tool" analyze "$work/huge" >"$work/huge.out" 2>"$work/huge.err"
check "2: a 1 GB memmap.bin: exit 2" test $? -eq 2
check "2: a 1 GB memmap.bin: named with the limit" grep -q 'huge/memmap.bin is larger than 16 MiB' "$work/huge.err"
cp -r "$run" "$work/zeros"
python3 - "$work/zeros/memmap.bin" <<'PY'
import struct, sys
n = (16 << 20) // 48 * 48
open(sys.argv[1], 'wb').write(b'MPEFIMAP' + struct.pack('<IIQQ', 48, 1, 48, n) + b'0.1.0'.ljust(16, b'\0') + bytes(n))
PY
timeout 60 "$tool" analyze "$work/zeros" >"$work/zeros.out" 2>&1
check "2: 349,525 zero descriptors: the run ends" test $? -ne 124
check "2: zero descriptors: a few invalid lines, not one each" test "$(grep -c '(invalid)$' "$work/zeros.out")" -le 64
check "2: zero descriptors: the rest counted" grep -qx \
	"memprobe: efi: 349461 more invalid entries, a line each in Linux's log, not shown" "$work/zeros.out"
check "2: zero descriptors: Linux's count line" grep -qx 'efi: Removing 349525 invalid memory map entries.' \
	"$work/zeros.out"
check "2: zero descriptors: the output bounded (under 1 MB)" test "$(wc -c <"$work/zeros.out")" -lt 1000000

# 3. Inputs that never end: each refused at its stated maximum, named, exit 2.
timeout 120 "$tool" compare "$run" /dev/zero >/dev/null 2>"$work/zero-compare.err"
check "3: compare RUN /dev/zero: exit 2" test $? -eq 2
check "3: compare RUN /dev/zero: named with the limit" grep -q '/dev/zero is larger than 256 MiB' "$work/zero-compare.err"
timeout 120 "$tool" replay /dev/zero >/dev/null 2>"$work/zero-replay.err"
check "3: replay /dev/zero: exit 2" test $? -eq 2
check "3: replay /dev/zero: named with the limit" grep -q '/dev/zero is larger than 256 MiB' "$work/zero-replay.err"
cp -r "$run" "$work/endless" && ln -sf /dev/zero "$work/endless/memmap.bin"
timeout 60 "$tool" analyze "$work/endless" >/dev/null 2>"$work/endless.err"
check "3: memmap.bin that never ends: exit 2" test $? -eq 2
check "3: memmap.bin that never ends: named" grep -q 'endless/memmap.bin is larger than 16 MiB' "$work/endless.err"

# 4. FIFOs without a writer under --live --root: read as empty, never waited on.
mkdir -p "$work/fifo/sys/firmware/memmap/0" "$work/fifo/sys/firmware/acpi/tables" "$work/fifo/proc" "$work/fifo/dev"
printf '0x0\n' >"$work/fifo/sys/firmware/memmap/0/start"
printf '0x7fffffff\n' >"$work/fifo/sys/firmware/memmap/0/end"
printf 'System RAM\n' >"$work/fifo/sys/firmware/memmap/0/type"
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu pse pge\n\n' >"$work/fifo/proc/cpuinfo"
mkfifo "$work/fifo/dev/kmsg" "$work/fifo/proc/cmdline"
timeout 60 "$tool" analyze --live --root "$work/fifo" >"$work/fifo.out" 2>&1
check "4: FIFOs for /dev/kmsg and /proc/cmdline: not waited on" test $? -ne 124
check "4: FIFOs: the kernel log read as empty, said" grep -q '(no kernel log' "$work/fifo.out"
timeout 60 "$tool" replay "$work/fifo/dev/kmsg" >/dev/null 2>&1
check "4: replay of a FIFO without a writer: not waited on" test $? -ne 124
timeout 60 "$tool" compare "$run" "$work/fifo/dev/kmsg" >/dev/null 2>&1
check "4: compare with a FIFO without a writer: not waited on, exit 2" test $? -eq 2

# 8. NUL bytes in a boot log neither end it nor change a line.
python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); i = len(d) // 10; open(sys.argv[2], 'wb').write(d[:i] + b'\0\0' + d[i:])" \
	"$log" "$work/nul.log"
"$tool" compare "$run" "$log" | tail -1 >"$work/clean.last"
"$tool" compare "$run" "$work/nul.log" | tail -1 >"$work/nul.last"
check "8: NUL bytes in the log: read to its end, every line compared" cmp -s "$work/clean.last" "$work/nul.last"
check "8: (the whole log compared)" grep -q '^compare: 1[0-9][0-9] of 1[0-9][0-9] comparable lines identical' "$work/nul.last"
"$tool" replay "$work/nul.log" | tail -1 >"$work/nul-replay.last"
check "8: NUL bytes: replay reads on too" cmp -s "$work/nul-replay.last" <("$tool" replay "$log" | tail -1)

finish hostile
