# memprobe: UEFI app, host tests, boot image.  `make help` lists the targets.

CC       ?= gcc
BUILD    := build
VERSION  := 0.1.0

# Warnings are errors in CI (CI=true there) and with WERROR=1.
ifneq ($(CI)$(WERROR),)
WERROR_FLAG := -Werror
endif
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes $(WERROR_FLAG)

# What every build flavour below shares, and what the host tests' flavours add.
COMMON_CFLAGS := -std=gnu11 -g $(WARNINGS) -Iinclude
TEST_INCLUDES := -Itests/lib -Ihost
SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

CORE_SRCS := $(wildcard core/*.c core/*/*.c)
EFI_SRCS  := $(wildcard efi/*.c)

# --- UEFI application (gnu-efi, x86_64 PE32+) --------------------------------
EFI_INC   := /usr/include/efi
EFI_LIB   := /usr/lib
EFI_CFLAGS := $(COMMON_CFLAGS) -O2 -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 \
	-ffreestanding -fstack-protector-strong -mstack-protector-guard=global -fno-stack-check -fpic -fshort-wchar \
	-mno-red-zone -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI
# --no-undefined: a shared object may leave symbols for a loader to bind, but UEFI binds none.
EFI_LDFLAGS := -nostdlib -znocombreloc -T $(EFI_LIB)/elf_x86_64_efi.lds -shared \
	-Bsymbolic --no-undefined -L$(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o
EFI_OBJS := $(patsubst %.c,$(BUILD)/efi-obj/%.o,$(CORE_SRCS) $(EFI_SRCS))

# --- Host builds of the core: unit and model tests under ASan/UBSan ----------
HOST_CFLAGS := $(COMMON_CFLAGS) -O1 $(TEST_INCLUDES) $(SANITIZERS)
HOST_LDLIBS := -lcmocka
HOST_CORE_OBJS := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(CORE_SRCS))
TEST_SUPPORT := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(wildcard tests/lib/*.c) host/heap.c)
HOST_TEST_SRCS := $(wildcard tests/unit/test_*.c tests/model/test_*.c)
HOST_TESTS := $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(HOST_TEST_SRCS)))
vpath test_%.c tests/unit tests/model

# --- The same host tests without sanitizers, for valgrind's memcheck ---------------
VG_CFLAGS := $(COMMON_CFLAGS) -O1 $(TEST_INCLUDES)
VG_OBJS := $(patsubst %.c,$(BUILD)/vg-obj/%.o,$(CORE_SRCS) $(wildcard tests/lib/*.c) host/heap.c)
VG_TESTS := $(patsubst %.c,$(BUILD)/vg-tests/%,$(notdir $(HOST_TEST_SRCS)))

# --- libFuzzer targets (clang), with ASan/UBSan --------------------------------
FUZZ_CC := clang
FUZZ_COVERAGE := -fsanitize=fuzzer-no-link
FUZZ_CFLAGS = $(COMMON_CFLAGS) -O1 $(TEST_INCLUDES) $(FUZZ_COVERAGE) $(SANITIZERS)
FUZZ_SUPPORT := host/boot_memmap.c host/heap.c host/readfile.c host/replay.c host/replay_lex.c host/text.c tests/lib/memblock_model.c
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz-obj/%.o,$(CORE_SRCS) $(FUZZ_SUPPORT))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

# --- Host command-line tool ---------------------------------------------------
HOST_TOOL_SRCS := $(wildcard host/*.c)
HOST_TOOL_CFLAGS := $(COMMON_CFLAGS) -O2 -Ihost

# Every object also writes its header dependencies (.d) beside it.
DEPFLAGS = -MMD -MP -MF $(@:=.d)

# One flavour's objects: build/$(1)/X.o from X.c with compiler $(2) and flags $(3), both
# variable names, read when the rule runs (so a target's own FUZZ_COVERAGE counts).
define object_rule
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$($(2)) $$($(3)) $$(DEPFLAGS) -c $$< -o $$@
endef
$(eval $(call object_rule,efi-obj,CC,EFI_CFLAGS))
$(eval $(call object_rule,host-obj,CC,HOST_CFLAGS))
$(eval $(call object_rule,vg-obj,CC,VG_CFLAGS))
$(eval $(call object_rule,fuzz-obj,FUZZ_CC,FUZZ_CFLAGS))
$(eval $(call object_rule,host-tool,CC,HOST_TOOL_CFLAGS))

.DEFAULT_GOAL := all
# Keep objects of pattern-rule chains between runs.
.SECONDARY:

.PHONY: all docs image usb bench test test-build test-unit test-valgrind test-replay test-realacpi test-fuzz test-qemu \
	test-linux fuzz fuzz-seeds deps clean help run

all: $(BUILD)/memprobe.efi $(BUILD)/memprobe

help:
	@echo "make              build $(BUILD)/memprobe.efi and the host tool $(BUILD)/memprobe"
	@echo "make image        FAT boot image $(BUILD)/memprobe.img (/EFI/BOOT/BOOTX64.EFI)"
	@echo "make usb          USB stick image $(BUILD)/memprobe-usb.img (GPT, EFI System Partition, config file)"
	@echo "make test         all tests: build, unit, model, replay, QEMU smoke, Linux differential"
	@echo "make test-build   the build itself: default goal, header dependencies"
	@echo "make test-unit    host unit and model tests only (ASan/UBSan)"
	@echo "make test-valgrind the host unit and model tests built without sanitizers, under valgrind"
	@echo "make test-replay  memprobe replay and the host tool on the Linux boot logs in tests/data"
	@echo "make test-realacpi the ACPI tables of 71 real machines (../shared/realacpi) against iasl -d"
	@echo "make test-fuzz    each libFuzzer target briefly: its corpus and a few thousand new inputs"
	@echo "make fuzz         each libFuzzer target for FUZZ_SECONDS (default 60): executions and rate"
	@echo "make test-qemu    boot memprobe under OVMF: report checks, ACPI against iasl -d"
	@echo "make test-linux   compare memprobe with Debian's Linux 6.1 on several VMs"
	@echo "make bench        benchmarks: boot end to end, the pipeline at scale, memblock, page tables"
	@echo "make docs         write docs/OPTIONS.md from the option table (the tests check it)"
	@echo "make deps         install the Debian packages the build and tests need"
	@echo "make run          ./run-qemu.sh with the seed's VM"

deps:
	./tests/lib/install-deps.sh

# The names of a link's objects, written when make starts and only if they changed:
# adding or removing a source relinks even when no object is newer than the program.
object_list = $(shell mkdir -p $(BUILD) && printf '%s\n' $(2) | cmp -s - $(1) 2>/dev/null || \
	printf '%s\n' $(2) >$(1))

HOST_TOOL_OBJS := $(patsubst %.c,$(BUILD)/host-tool/%.o,$(CORE_SRCS) $(HOST_TOOL_SRCS))
$(call object_list,$(BUILD)/host-tool.objects,$(HOST_TOOL_OBJS))
$(call object_list,$(BUILD)/efi.objects,$(EFI_OBJS))

$(BUILD)/memprobe: $(HOST_TOOL_OBJS) $(BUILD)/host-tool.objects
	$(CC) $(HOST_TOOL_CFLAGS) $(HOST_TOOL_OBJS) -o $@

$(BUILD)/memprobe.so: $(EFI_OBJS) $(BUILD)/efi.objects
	ld $(EFI_LDFLAGS) $(EFI_OBJS) -o $@ -lefi -lgnuefi

# A UEFI application (PE32+) from its ELF shared object.
$(BUILD)/%.efi: $(BUILD)/%.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target=efi-app-x86_64 --subsystem=10 $< $@
	@echo "built $@"

# 16 MiB FAT image; the app is the removable-media default boot file.
$(BUILD)/memprobe.img: $(BUILD)/memprobe.efi
	rm -f $@.tmp
	mformat -i $@.tmp -C -T 32768 -h 64 -s 32 -v MEMPROBE ::
	mmd -i $@.tmp ::/EFI ::/EFI/BOOT
	mcopy -i $@.tmp $< ::/EFI/BOOT/BOOTX64.EFI
	mv $@.tmp $@

image: $(BUILD)/memprobe.img

# The USB stick: a GPT disk with one EFI System Partition (FAT32 from 1 MiB), written
# without root or loop devices: sfdisk writes the partition table into the file, mtools
# formats and fills the partition at its offset.
USB_MIB := 64
USB_ESP_START := 2048
USB_ESP_SECTORS := $(shell echo $$(($(USB_MIB) * 2048 - 2 * 2048)))
USB_ESP := $(BUILD)/memprobe-usb.img.tmp@@$(shell echo $$(($(USB_ESP_START) * 512)))
$(BUILD)/memprobe-usb.img: $(BUILD)/memprobe.efi $(BUILD)/memprobe stick/README.txt
	@command -v sfdisk >/dev/null && command -v mformat >/dev/null || \
		{ echo "make usb needs fdisk and mtools: run 'make deps' (as root) first" >&2; exit 1; }
	rm -f $@.tmp
	truncate -s $(USB_MIB)M $@.tmp
	printf 'label: gpt\nstart=$(USB_ESP_START), size=$(USB_ESP_SECTORS), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="memprobe"\n' | \
		sfdisk --quiet --no-reread --no-tell-kernel $@.tmp
	$(BUILD)/memprobe config >$(BUILD)/memprobe.conf
	mformat -i $(USB_ESP) -F -v MEMPROBE -T $(USB_ESP_SECTORS) -H $(USB_ESP_START) -h 64 -s 32 ::
	mmd -i $(USB_ESP) ::/EFI ::/EFI/BOOT ::/memprobe
	mcopy -i $(USB_ESP) $< ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i $(USB_ESP) $(BUILD)/memprobe.conf ::/memprobe/memprobe.conf
	mcopy -i $(USB_ESP) stick/README.txt ::/memprobe/README.txt
	mv $@.tmp $@
	@echo "built $@"

usb: $(BUILD)/memprobe-usb.img

# One rule for unit and model tests: vpath finds the source in either folder.
$(BUILD)/tests/%: %.c $(HOST_CORE_OBJS) $(TEST_SUPPORT)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) $< $(HOST_CORE_OBJS) $(TEST_SUPPORT) -o $@ $(HOST_LDLIBS)

test-build:
	./tests/build/build.sh
	./tests/build/structure.py

$(BUILD)/vg-tests/%: %.c $(VG_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(VG_CFLAGS) $(DEPFLAGS) $< $(VG_OBJS) -o $@ $(HOST_LDLIBS)

test-valgrind: $(VG_TESTS)
	./tests/lib/install-deps.sh valgrind
	RUNNER="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect -q" \
		./tests/lib/run-host-tests.sh $(VG_TESTS)

# The host tool under ASan/UBSan, for the real machines' tables.
$(BUILD)/memprobe-asan: $(HOST_CORE_OBJS) $(patsubst %.c,$(BUILD)/host-obj/%.o,$(HOST_TOOL_SRCS))
	$(CC) $(HOST_CFLAGS) $^ -o $@

test-realacpi: $(BUILD)/memprobe-asan
	./tests/realacpi/realacpi.sh

# Byte loops and the formatter need no compare feedback; tracing it was most of the time.
# (clang 14 keeps fuzzer-no-link's trace-cmp despite -fno-sanitize-coverage, so name the rest.)
$(BUILD)/fuzz-obj/core/lib/util.o $(BUILD)/fuzz-obj/core/lib/printk.o: \
	FUZZ_COVERAGE := -fsanitize-coverage=inline-8bit-counters,pc-table

# The reference model checks memblock; its own branches are no guide for the fuzzer.
$(BUILD)/fuzz-obj/tests/lib/memblock_model.o: FUZZ_COVERAGE :=

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(DEPFLAGS) $< $(FUZZ_OBJS) -o $@

test-fuzz: $(FUZZ_TARGETS)
	./tests/fuzz/run.sh brief

FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_TARGETS)
	./tests/fuzz/run.sh $(FUZZ_SECONDS)

# The seeds kept in tests/fuzz/corpus: built ones, QEMU's saved tables, a boot log's start.
$(BUILD)/fuzz-seeds: tests/fuzz/seeds.c $(HOST_CORE_OBJS) $(TEST_SUPPORT)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) $< $(HOST_CORE_OBJS) $(TEST_SUPPORT) -o $@

fuzz-seeds: $(BUILD)/fuzz-seeds
	$(BUILD)/fuzz-seeds tests/fuzz/corpus
	cp tests/data/acpi/qemu-pc-2nodes.acpidump tests/fuzz/corpus/acpidump/qemu-pc-2nodes
	head -c 40000 tests/data/linux-6.1/seed.log >tests/fuzz/corpus/replay/seed-log-start

test-unit: $(HOST_TESTS)
	./tests/lib/run-host-tests.sh $(HOST_TESTS)

# Benchmarks print numbers; they never fail on speed.
$(BUILD)/bench_memblock: $(BUILD)/host-tool/tests/bench/bench_memblock.o \
		$(patsubst %.c,$(BUILD)/host-tool/%.o,$(CORE_SRCS) host/readfile.c host/replay.c host/replay_lex.c host/text.c host/heap.c)
	$(CC) $(HOST_TOOL_CFLAGS) $^ -o $@

$(BUILD)/bench_pgtable: $(BUILD)/host-tool/tests/bench/bench_pgtable.o \
		$(patsubst %.c,$(BUILD)/host-tool/%.o,$(CORE_SRCS) host/heap.c)
	$(CC) $(HOST_TOOL_CFLAGS) $^ -o $@

$(BUILD)/bench_options: $(BUILD)/host-tool/tests/bench/bench_options.o \
		$(patsubst %.c,$(BUILD)/host-tool/%.o,$(CORE_SRCS))
	$(CC) $(HOST_TOOL_CFLAGS) $^ -o $@

$(BUILD)/bench_scale: $(BUILD)/host-tool/tests/bench/bench_scale.o \
		$(patsubst %.c,$(BUILD)/host-tool/%.o,$(CORE_SRCS) host/heap.c)
	$(CC) $(HOST_TOOL_CFLAGS) $^ -o $@

# One memblock trace on memprobe's memblock; tests/bench/memblock-linux.sh runs it on Linux's.
$(BUILD)/bench_memblock_trace: $(patsubst %.c,$(BUILD)/host-tool/%.o,tests/bench/memblock_memprobe.c \
		tests/bench/memblock_trace.c $(CORE_SRCS) host/heap.c)
	$(CC) $(HOST_TOOL_CFLAGS) $^ -o $@

bench: $(BUILD)/bench_memblock $(BUILD)/bench_memblock_trace $(BUILD)/bench_pgtable $(BUILD)/bench_scale \
		$(BUILD)/bench_options \
		$(BUILD)/trivial.efi
	$(BUILD)/bench_memblock tests/data/linux-6.1/seed.log
	./tests/bench/memblock-linux.sh
	$(BUILD)/bench_pgtable
	$(BUILD)/bench_scale
	$(BUILD)/bench_options
	./tests/bench/boot.sh

# The end-to-end benchmark's baseline UEFI application.
$(BUILD)/trivial.so: $(BUILD)/efi-obj/tests/bench/trivial.o
	ld $(EFI_LDFLAGS) $< -o $@ -lefi -lgnuefi


# Linux's cpuid and msr devices, for --live trees in tests (tests/replay/devcpu-shim.c).
$(BUILD)/devcpu-shim.so: tests/replay/devcpu-shim.c
	$(CC) -shared -fPIC -O1 -Wall -Wextra $< -o $@ -ldl

test-replay: $(BUILD)/memprobe $(BUILD)/memprobe-asan $(BUILD)/devcpu-shim.so
	./tests/replay/replay.sh
	./tests/replay/acpi-tool.sh
	./tests/replay/live.sh
	./tests/replay/compare.sh
	./tests/replay/hostile.sh
	./tests/replay/linux-retry.sh

test-qemu: $(BUILD)/memprobe.img $(BUILD)/memprobe
	./tests/qemu/smoke.sh
	./tests/qemu/usb-stick.sh
	./tests/qemu/cpus.sh
	./tests/qemu/faults.sh
	./tests/qemu/screen.sh
	./tests/qemu/acpi-golden.sh
	./tests/qemu/broken-firmware.sh
	./tests/qemu/exit-boot-services.sh

test-linux: $(BUILD)/memprobe.img
	./tests/linux/differential.sh

# Install what is missing first, then build and run everything in order.
test: deps
	$(MAKE) test-build
	$(MAKE) test-unit
	$(MAKE) test-valgrind
	$(MAKE) test-replay
	$(MAKE) test-realacpi
	$(MAKE) test-fuzz
	$(MAKE) test-qemu
	$(MAKE) test-linux

run:
	./run-qemu.sh

# The documents generated from the code: docs/OPTIONS.md from the option table.
docs: $(BUILD)/memprobe
	$(BUILD)/memprobe options >docs/OPTIONS.md

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
