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

"$here/tests/lib/install-deps.sh" jq python3 || exit 1

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
check "4: FIFOs for /dev/kmsg and /proc/cmdline: not waited on, exit 0" test $? -eq 0
check "4: FIFOs: the kernel log read as empty, said" grep -q '(no kernel log' "$work/fifo.out"
timeout 60 "$tool" replay "$work/fifo/dev/kmsg" >/dev/null 2>&1
check "4: replay of a FIFO without a writer: not waited on, exit 2 (nothing in it)" test $? -eq 2
timeout 60 "$tool" compare "$run" "$work/fifo/dev/kmsg" >/dev/null 2>&1
check "4: compare with a FIFO without a writer: not waited on, exit 2" test $? -eq 2

# 5. A run folder's acpi.txt without a table its XSDT lists, or with two tables at one address:
# damaged (exit 2), never a firmware bug nor a faked node; a plain dump missing a table is no
# firmware bug either and does not speak of a memory map.
cp -r "$run" "$work/nosrat" && awk '/^SRAT @/ { skip = 1; next } /^[A-Z]... @/ { skip = 0 } !skip' \
	"$run/acpi.txt" >"$work/nosrat/acpi.txt"
"$tool" analyze "$work/nosrat" >"$work/nosrat.out" 2>"$work/nosrat.err"
check "5: acpi.txt without the SRAT: exit 2" test $? -eq 2
check "5: acpi.txt without the SRAT: the damage named" grep -q \
	"nosrat/acpi.txt: the XSDT's entry 3 (0xbf777000) is not in the dump, though the run's memory map covers it: the dump is damaged" \
	"$work/nosrat.err"
check "5: acpi.txt without the SRAT: no false firmware bug" bash -c "! grep -q 'not in the firmware.s memory map' '$work/nosrat.out'"
cp -r "$run" "$work/twice" && sed -n '/^WAET @/,$p' "$run/acpi.txt" | sed 's/^WAET @ 0x00000000BF776000/WAET @ 0x00000000BF777000/' \
	>>"$work/twice/acpi.txt"
"$tool" analyze "$work/twice" >/dev/null 2>"$work/twice.err"
check "5: two tables at one address: exit 2, named" grep -q 'two tables (SRAT, WAET) at 0xbf777000: the dump is damaged' \
	"$work/twice.err"
"$tool" acpi "$work/nosrat/acpi.txt" >"$work/plain.out" 2>&1
check "5: a plain dump without a table: said as the dump's" grep -q \
	'^memprobe: ACPI: XSDT entry 3 points to 0x00000000bf777000, which the dump does not hold; table not read' "$work/plain.out"
check "5: a plain dump: no memory map spoken of, no firmware bug" bash -c \
	"! grep -q 'memory map\|Firmware Bug.*not-in' '$work/plain.out'"

# 6. A gap in /sys/firmware/memmap, an entry without start, a start that is no number: exit 2, named.
mk_memmap() {
	local d=$1 i
	mkdir -p "$d/proc" "$d/sys/firmware/acpi/tables"
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu pse pge\n\n' >"$d/proc/cpuinfo"
	for i in 0 1 2 3 4; do
		mkdir -p "$d/sys/firmware/memmap/$i"
		printf '%#x\n' $((i << 30)) >"$d/sys/firmware/memmap/$i/start"
		printf '%#x\n' $(((i + 1 << 30) - 1)) >"$d/sys/firmware/memmap/$i/end"
		echo 'System RAM' >"$d/sys/firmware/memmap/$i/type"
	done
}
mk_memmap "$work/gap" && rm -r "$work/gap/sys/firmware/memmap/3"
"$tool" analyze --live --root "$work/gap" >/dev/null 2>"$work/gap.err"
check "6: a gap in /sys/firmware/memmap: exit 2" test $? -eq 2
check "6: a gap: named" grep -q 'sys/firmware/memmap: 4 entries numbered up to 4: some are missing' "$work/gap.err"
mk_memmap "$work/nostart" && rm "$work/nostart/sys/firmware/memmap/2/start"
"$tool" analyze --live --root "$work/nostart" >/dev/null 2>"$work/nostart.err"
check "6: an entry without start: exit 2" test $? -eq 2
check "6: an entry without start: named" grep -q 'memmap/2: start, end and type are needed' "$work/nostart.err"
mk_memmap "$work/hello" && echo hello >"$work/hello/sys/firmware/memmap/1/start"
"$tool" analyze --live --root "$work/hello" >/dev/null 2>"$work/hello.err"
check "14: a start of 'hello': exit 2, named" grep -q "memmap/1: its start or end is not a 64-bit number ('hello" \
	"$work/hello.err"
mk_memmap "$work/bits" && printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu\naddress sizes\t: 300 bits physical, 48 bits virtual\n' \
	>"$work/bits/proc/cpuinfo"
"$tool" analyze --live --root "$work/bits" >/dev/null 2>"$work/bits.err"
check "14: 300 physical address bits: exit 2, named" grep -q 'cpuinfo: its address sizes line is not' "$work/bits.err"

# 7. A cut or NUL-damaged cpu.txt or firmware.txt: exit 2, named, never taken as "no".
cp -r "$run" "$work/cut" && sed -i '/^nx:/,$d' "$work/cut/cpu.txt"
"$tool" analyze "$work/cut" >/dev/null 2>"$work/cut.err"
check "7: cpu.txt cut before nx: exit 2" test $? -eq 2
check "7: cpu.txt cut: the missing fact named" grep -q "cpu.txt.*no 'nx:' line (the file is cut short or damaged)" "$work/cut.err"
for f in cpu.txt firmware.txt; do
	cp -r "$run" "$work/nul-$f"
	python3 -c "import sys; p = sys.argv[1]; d = open(p, 'rb').read(); open(p, 'wb').write(d[:60] + b'\0' + d[60:])" \
		"$work/nul-$f/$f"
	"$tool" analyze "$work/nul-$f" >/dev/null 2>"$work/nul-$f.err"
	check "7: a NUL byte in $f: exit 2" test $? -eq 2
	check "7: a NUL byte in $f: named with its offset" grep -q "$f: a NUL byte at offset 60: the file is damaged" \
		"$work/nul-$f.err"
done

# 8. NUL bytes in a boot log neither end it nor change a line.
python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); i = len(d) // 10; open(sys.argv[2], 'wb').write(d[:i] + b'\0\0' + d[i:])" \
	"$log" "$work/nul.log"
"$tool" compare "$run" "$log" | tail -1 >"$work/clean.last"
"$tool" compare "$run" "$work/nul.log" | tail -1 >"$work/nul.last"
check "8: NUL bytes in the log: read to its end, every line compared" cmp -s "$work/clean.last" "$work/nul.last"
check "8: (the whole log compared)" grep -q '^compare: \([1-9][0-9][0-9]\) of \1 comparable lines identical' "$work/nul.last"
"$tool" replay "$work/nul.log" | tail -1 >"$work/nul-replay.last"
check "8: NUL bytes: replay reads on too" cmp -s "$work/nul-replay.last" <("$tool" replay "$log" | tail -1)

mk_memmap "$work/flag-live"
"$tool" analyze --live --root "$work/flag-live" --jsno >/dev/null 2>"$work/flag-live.err"
check "17: an unknown flag after --live: exit 2, named" grep -q "unknown flag '--jsno'" "$work/flag-live.err"

# 14. Numbers in run-folder files that do not fit: refused, never wrapped.
for case in 'cpu.txt:s/^phys_bits: 40$/phys_bits: 18446744073709551656/' 'cpu.txt:s/^phys_bits: 40$/phys_bits: 300/' \
	'firmware.txt:s/^rsdp20: 0xbf77e014$/rsdp20: 0x10000000000000000bf77e014/'; do
	f=${case%%:*}
	rm -rf "$work/wrap" && cp -r "$run" "$work/wrap" && sed -i "${case#*:}" "$work/wrap/$f"
	"$tool" analyze "$work/wrap" >/dev/null 2>"$work/wrap.err"
	check "14: $f ${case#*:}: exit 2, the file named" grep -q "wrap/$f: line" "$work/wrap.err"
done

# 15. Firmware strings with terminal escapes: written as dmesg writes them, never raw.
cp -r "$run" "$work/esc" && sed -i "$(printf 's/^vendor: EDK II$/vendor: EDK\\x1b]0;pwned\\x07II/')" "$work/esc/firmware.txt"
"$tool" analyze "$work/esc" >"$work/esc.out" 2>&1
check "15: an ESC in the firmware's vendor: no control byte reaches the output" \
	bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]' '$work/esc.out'"
check "15: the vendor written as dmesg writes it" grep -qxF 'efi: EFI v2.70 by EDK\x1b]0;pwned\x07II' "$work/esc.out"

# 19. An ACPI OEM ID with a Latin-1 byte: the kernel's isprint() keeps it and dmesg shows \xd2;
# a C1 control byte (0x85) is '?' in Linux's line.
python3 - "$run/acpi.txt" "$work/latin1.txt" <<'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
i = lines.index('FACP @ 0x00000000BF77A000') + 1
w = lines[i].split()
w[11], w[12] = 'D2', '85'	# bytes 10 and 11: the OEM ID's first two
lines[i] = '    ' + ' '.join(w[:17]) + '  ' + lines[i][-16:]
open(sys.argv[2], 'w').write('\n'.join(lines))
PY
"$tool" acpi "$work/latin1.txt" >"$work/latin1.out" 2>&1
check "19: a Latin-1 OEM byte as dmesg shows it, a C1 control as '?'" grep -qF \
	'ACPI: FACP 0x00000000BF77A000 000074 (v01 \xd2?CHS  BXPC     00000001 BXPC 00000001)' "$work/latin1.out"

# 16. Damage in efi-read.txt (or acpi-read.txt) is damage, as in acpi.txt: exit 2.
cp -r "$here/tests/data/runs/seed-default-devices" "$work/efiread"
awk 'NR == 2 { print "    0010: 00 00"; next } { print }' "$here/tests/data/runs/seed-default-devices/efi-read.txt" \
	>"$work/efiread/efi-read.txt"
"$tool" analyze "$work/efiread" >/dev/null 2>"$work/efiread.err"
check "16: a damaged efi-read.txt: exit 2" test $? -eq 2
check "16: a damaged efi-read.txt: named" grep -q 'efi-read.txt: the dump is damaged (see above)' "$work/efiread.err"

# 17. A host-tool flag after the folder: --json is taken anywhere; another flag is a usage error.
"$tool" analyze "$run" --json >"$work/json-after.out" 2>&1
check "17: --json after the folder: exit 0" test $? -eq 0
check "17: --json after the folder: report.json, not the text report" jq -e '.memprobe' "$work/json-after.out" >/dev/null
"$tool" analyze "$run" --jsno >/dev/null 2>"$work/flag.err"
check "17: an unknown flag after the folder: exit 2, named" grep -q "unknown flag '--jsno'" "$work/flag.err"

# 19. A loader's own e820 (GRUB's type 20, "Unknown E820 type" in /sys): taken, not refused, and said.
mk_memmap "$work/type20" && echo 'Unknown E820 type' >"$work/type20/sys/firmware/memmap/2/type"
"$tool" analyze --live --root "$work/type20" >"$work/type20.out" 2>&1
check "19: an Unknown E820 type entry: exit 0" test $? -eq 0
check "19: an Unknown E820 type entry: said" grep -q '^memprobe: note: analyze --live: 1 entries of /sys/firmware/memmap have a type Linux does not name' \
	"$work/type20.out"
check "19: taken as EFI runtime code: reserved" grep -qF 'BIOS-e820: [mem 0x0000000080000000-0x00000000bfffffff] reserved' \
	"$work/type20.out"

# A run cut off while writing its folder (power cut, stick pulled): at each file boundary of
# memprobe.efi's write order (report.txt and acpi.txt opened first; report.json, efi-read.txt,
# ioapic.txt, memmap.bin, cpu.txt, firmware.txt saved; acpi.txt, then report.txt with its
# "run saved in" line, closed last) the folder is incomplete: exit 2, said; only the whole one runs.
order="report.json efi-read.txt ioapic.txt memmap.bin cpu.txt firmware.txt"
saved=""
for next in $order closing; do
	rm -rf "$work/cut" && mkdir "$work/cut"
	sed '/^memprobe: run saved in /,$d' "$run/report.txt" >"$work/cut/report.txt"
	head -c 4096 "$run/acpi.txt" >"$work/cut/acpi.txt"	# still being written
	for f in $saved; do cp "$run/$f" "$work/cut/"; done
	"$tool" analyze "$work/cut" >/dev/null 2>"$work/cut.err"
	check "cut before ${next}: exit 2" test $? -eq 2
	check "cut before ${next}: the folder said to be incomplete" grep -q 'cut/ is incomplete\|cut is incomplete' "$work/cut.err"
	saved="$saved $next"
done
cp -r "$run" "$work/gone" && rm "$work/gone/cpu.txt"
"$tool" analyze "$work/gone" >/dev/null 2>"$work/gone.err"
check "a file the report names is gone: exit 2, named" grep -q 'gone is incomplete: its report.txt names cpu.txt, which is not there' \
	"$work/gone.err"
"$tool" analyze "$run" >/dev/null 2>&1
check "the whole folder: exit 0" test $? -eq 0

finish hostile
