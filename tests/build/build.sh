#!/usr/bin/env bash
# The build itself, in a copy of the tree: `make` with no goal builds both
# the UEFI app and the host tool, and a header change rebuilds exactly the
# objects that include it (header dependencies, not "every object depends
# on every header").
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi || exit 1
tar -C "$here" --exclude=./build --exclude=./.git -cf - . | tar -C "$work" -xf -
cd "$work" || exit 1

make -s -j2 >make.out 2>&1
check "make with no goal: succeeds" test $? -eq 0
check "make with no goal: builds build/memprobe.efi" test -s build/memprobe.efi
check "make with no goal: builds the host tool build/memprobe" test -x build/memprobe
make -q all
check "make -q all right after: nothing left to do" test $? -eq 0
build/memprobe options >options.md
check "docs/OPTIONS.md is the option table's (make docs writes it)" cmp -s options.md docs/OPTIONS.md
# -fstack-protector-strong with the guard and failure handler of efi/stack_protector.c.
check "UEFI build: functions check the stack guard" \
	test "$(objdump -d build/memprobe.so | grep -c '__stack_chk_guard')" -gt 5
check "UEFI build: a stack overwrite ends in efi/stack_protector.c's handler" \
	bash -c "nm build/memprobe.so | grep -q ' t __stack_chk_fail$'"

# acpidump.h is included by core/acpi/acpidump.c and host/main.c only.
sleep 1 && touch include/memprobe/acpi/acpidump.h
make -n all >rebuild.txt 2>&1
check "header change: its includers are rebuilt" grep -q 'core/acpi/acpidump.c' rebuild.txt
check "header change: host/main.c is rebuilt" grep -q 'host/main.c' rebuild.txt
check "header change: other objects are not rebuilt" bash -c '! grep -q "core/x86/e820.c" rebuild.txt'

# A source removed (or added) relinks, though no object is newer than the program.
printf 'void memprobe_build_probe(void);\nvoid memprobe_build_probe(void) {}\n' >efi/zz_probe.c
make -s all >/dev/null 2>&1 && rm efi/zz_probe.c
make -n all >relink.txt 2>&1
check "a source removed: the UEFI app is relinked" grep -q '^ld .*memprobe.so' relink.txt
make -s all >/dev/null 2>&1

# UEFI binds no symbol at load time: a call to a function nobody defines fails the link.
printf 'void memprobe_nowhere(void);\nvoid memprobe_calls_nowhere(void);\nvoid memprobe_calls_nowhere(void) { memprobe_nowhere(); }\n' \
	>efi/zz_undefined.c
make -s all >undefined.txt 2>&1
check "an undefined function: the UEFI link fails" test $? -ne 0
check "an undefined function: named" grep -q "undefined reference to .memprobe_nowhere" undefined.txt
rm efi/zz_undefined.c

finish build-tests
