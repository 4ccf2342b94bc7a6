// SPDX-License-Identifier: MIT
/* Run-folder files: what memprobe.efi writes, memprobe analyze reads back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "memprobe/runfile.h"

/* The facts every cpu.txt with "cpuid: read" has. */
#define FACTS "cpuid: read\nvendor: AuthenticAMD\npse: yes\npge: yes\nnx: yes\ngbpages: no\nla57: no\n" \
	      "phys_bits: 40\nvirt_bits: 48\n"

/* A capture's text as a fresh NUL-terminated copy (the readers cut lines in place). */
static char *copy_text(const struct capture *c)
{
	char *t = malloc(c->len + 1);

	memcpy(t, c->text, c->len);
	t[c->len] = '\0';
	return t;
}

static void memmap_file(void **state)
{
	struct rawmap r;
	struct memmap_file_header h;
	struct efi_memmap back;
	struct runfile_error err;
	uint8_t *file;
	size_t len;

	(void)state;
	rawmap_init(&r, 48);
	rawmap_add(&r, 7, 0x100000, 16, 0xf);
	rawmap_add(&r, 4, 0x200000, 1, 0xf);
	memmap_file_header_init(&h, &r.map);
	assert_int_equal(sizeof(h), 48);
	len = sizeof(h) + r.map.map_size;
	file = malloc(len + 1);
	memcpy(file, &h, sizeof(h));
	memcpy(file + sizeof(h), r.map.map, r.map.map_size);

	assert_true(memmap_file_read(file, len, &back, &err));
	assert_int_equal(back.desc_size, 48);
	assert_int_equal(back.map_size, 96);
	assert_int_equal(back.desc_version, r.map.desc_version);
	assert_memory_equal(back.map, r.map.map, 96);

	/* Cut short by a byte: the header's size no longer matches. */
	assert_false(memmap_file_read(file, len - 1, &back, &err));
	assert_string_equal(err.text, "its header says the map has 96 bytes, the file holds 95 after the "
				      "header (truncated or padded)");
	assert_false(memmap_file_read(file, 20, &back, &err));
	assert_string_equal(err.text, "20 bytes, shorter than its 48-byte header");
	file[0] = 'X';
	assert_false(memmap_file_read(file, len, &back, &err));
	assert_string_equal(err.text, "not a memprobe memory-map file (no 'MPEFIMAP' at its start)");
	free(file);
	rawmap_free(&r);
}

static void cpu_file(void **state)
{
	const struct cpu_facts cpu = { .known = true, .vendor = "GenuineIntel", .pse = true, .pge = true,
				       .nx = true, .gbpages = true, .la57 = true, .phys_bits = 52,
				       .virt_bits = 57, .hypervisor = true, .apic_id_known = true,
				       .apic_id = 0x1f };
	struct cpu_facts back;
	struct cpu_record rec[1];
	struct cpu_records cpus = { .cpu = rec };
	struct runfile_error err;
	struct capture c;
	char *text;

	(void)state;
	capture_init(&c);
	cpu_facts_write(&cpu, &c.log);
	text = copy_text(&c);
	assert_true(cpu_facts_read(text, &back, &cpus, 1, &err));
	/* Field by field: the struct's padding is nobody's. */
	assert_true(back.known && back.pse && back.pge && back.nx && back.gbpages && back.la57 && back.hypervisor);
	assert_string_equal(back.vendor, cpu.vendor);
	assert_int_equal(back.phys_bits, 52);
	assert_int_equal(back.virt_bits, 57);
	assert_true(back.apic_id_known);
	assert_int_equal(back.apic_id, 0x1f);
	free(text);

	text = strdup("cpuid: read\nla57: maybe\n");
	assert_false(cpu_facts_read(text, &back, &cpus, 1, &err));
	assert_string_equal(err.text, "line 2 is not a CPU fact memprobe writes ('la57')");
	free(text);
	text = strdup("vendor: GenuineIntel\n");
	assert_false(cpu_facts_read(text, &back, &cpus, 1, &err));
	assert_string_equal(err.text, "no 'cpuid:' line");
	free(text);
	assert_true(capture_has_line(&c, "apic_id: 0x1f"));
	text = strdup(FACTS);	/* a cpu.txt from before the APIC ID and hypervisor were kept */
	assert_true(cpu_facts_read(text, &back, &cpus, 1, &err));
	assert_false(back.apic_id_known);
	free(text);
	/* cut short: a fact missing is named, not taken as "no" */
	text = strdup("cpuid: read\nvendor: AuthenticAMD\npse: yes\npge: yes\n");
	assert_false(cpu_facts_read(text, &back, &cpus, 1, &err));
	assert_string_equal(err.text, "no 'nx:' line (the file is cut short or damaged)");
	free(text);
	text = strdup("cpuid: read\napic_id: 0x100000000\n");
	assert_false(cpu_facts_read(text, &back, &cpus, 1, &err));
	free(text);
	text = strdup("cpuid: not read\n");
	assert_true(cpu_facts_read(text, &back, &cpus, 1, &err));
	assert_false(back.known);
	free(text);
	capture_free(&c);
}

/* cpu.txt's records: every CPU's leaves and MSRs come back as written; damage and excess are named. */
static void cpu_records_file(void **state)
{
	struct cpu_record in[2] = { { .number = 0, .apic_id = 0, .state = CPU_READ },
				    { .number = 3, .apic_id = 0x102, .package = 1, .core = 2, .thread = 1,
				      .state = CPU_TIMED_OUT } };
	const uint32_t regs[4] = { 0xd, 0x68747541, 0x444d4163, 0x69746e65 };
	struct cpu_records cpus = { CPUS_MP_SERVICES, 2, 4, in }, back;
	struct cpu_record out[2];
	struct cpu_facts facts = { .known = true, .vendor = "AuthenticAMD" }, facts_back;
	struct runfile_error err;
	struct capture c;
	uint64_t v;
	char *text;

	(void)state;
	cpu_record_add_leaf(&in[0], 0, 0, regs);
	cpu_record_add_msr(&in[0], MSR_MTRR_DEF_TYPE, 0xc06);
	cpu_record_add_msr(&in[0], MSR_MTRR_VAR_MASK(0), 0xffffc0000800ULL);
	capture_init(&c);
	cpu_facts_write(&facts, &c.log);
	cpu_records_write(&cpus, &c.log);
	assert_true(capture_has_line(&c, "cpus: mp-services 2 of 4"));
	assert_true(capture_has_line(&c, "cpu: 3 0x102 1.2.1 timed out"));
	text = copy_text(&c);
	back.cpu = out;
	assert_true(cpu_facts_read(text, &facts_back, &back, 2, &err));
	free(text);
	assert_int_equal(back.source, CPUS_MP_SERVICES);
	assert_int_equal(back.nr, 2);
	assert_int_equal(back.nr_firmware, 4);
	assert_int_equal(out[0].nr_leaves, 1);
	assert_int_equal(out[0].leaf[0].ebx, 0x68747541);
	assert_true(cpu_msr(&out[0], MSR_MTRR_VAR_MASK(0), &v));
	assert_int_equal(v, 0xffffc0000800ULL);
	assert_false(cpu_msr(&out[0], MSR_PAT, &v));
	assert_int_equal(out[1].apic_id, 0x102);
	assert_int_equal(out[1].package, 1);
	assert_int_equal(out[1].core, 2);
	assert_int_equal(out[1].thread, 1);
	assert_int_equal(out[1].state, CPU_TIMED_OUT);
	/* one record too many for the room given */
	text = copy_text(&c);
	assert_false(cpu_facts_read(text, &facts_back, &back, 1, &err));
	assert_non_null(strstr(err.text, "more than 1 CPUs' records"));
	free(text);
	capture_free(&c);
	/* an MSR of a CPU that was not read, a count that disagrees, a damaged head */
	text = strdup(FACTS "cpus: mp-services 1 of 2\ncpu: 1 0x1 0.0.1 timed out\nmsr: 0xfe 0x508\n");
	assert_false(cpu_facts_read(text, &facts_back, &back, 2, &err));
	assert_string_equal(err.text, "line 12: a msr with no CPU read before it");
	free(text);
	text = strdup(FACTS "cpus: mp-services 2 of 2\ncpu: 0 0x0 0.0.0 read\n");
	assert_false(cpu_facts_read(text, &facts_back, &back, 2, &err));
	assert_string_equal(err.text, "'cpus:' counts 2 CPUs read, the file has 1 records");
	free(text);
	text = strdup(FACTS "cpus: mp-services 1 of 1\ncpu: 0 0x0 0.0 read\n");
	assert_false(cpu_facts_read(text, &facts_back, &back, 2, &err));
	free(text);
	text = strdup(FACTS "cpus: mp-services 1 of 1\ncpu: 0 0x0 0.0.0 read\nleaf: 0x1 0x0 0x1 0x2 0x3\n");
	assert_false(cpu_facts_read(text, &facts_back, &back, 2, &err));
	free(text);
}

/* ioapic.txt: the registers come back as read; damage, repeats and too many are named. */
static void ioapic_file(void **state)
{
	struct ioapic_reads r = { 2, { { 0xfec00000, { 0, 0x00170020, 0 } }, { 0xfec01000, { 1u << 24, 0x00070011, 7 } } } };
	struct ioapic_reads *back = calloc(1, sizeof(*back));
	struct runfile_error err;
	uint32_t regs[IO_APIC_REGS];
	struct capture c;
	char *text, *many;

	(void)state;
	capture_init(&c);
	ioapic_reads_write(&r, &c.log);
	assert_true(capture_has_line(&c, "ioapic: 0xfec01000 0x01000000 0x00070011 0x00000007"));
	text = copy_text(&c);
	assert_true(ioapic_reads_read(text, back, &err));
	assert_int_equal(back->nr, 2);
	assert_memory_equal(back->r, r.r, 2 * sizeof(r.r[0]));
	assert_true(ioapic_reads_find(back, 0xfec01000, regs));
	assert_int_equal(regs[2], 7);
	assert_false(ioapic_reads_find(back, 0xfec02000, regs));
	free(text);

	text = strdup("ioapic: 0xfec00000 0x0 0x170020\n");
	assert_false(ioapic_reads_read(text, back, &err));
	assert_string_equal(err.text, "line 1 is not 'ioapic: BASE REG0 REG1 REG2' ('ioapic')");
	free(text);
	text = strdup("ioapic: 0xfec00000 0x0 0x170020 0x100000000\n");
	assert_false(ioapic_reads_read(text, back, &err));
	free(text);
	text = strdup("# a comment\nioapic: 0xfec00000 0 1 2\nioapic: 0xfec00000 0 1 2\n");
	assert_false(ioapic_reads_read(text, back, &err));
	assert_string_equal(err.text, "line 3: the IO APIC at 0xfec00000 again");
	free(text);
	many = malloc(64 * (MAX_IO_APICS + 1));
	many[0] = '\0';
	for (unsigned i = 0; i <= MAX_IO_APICS; i++)
		sprintf(many + strlen(many), "ioapic: %#x 0 0 0\n", 0xfec00000 + i * 0x1000);
	assert_false(ioapic_reads_read(many, back, &err));
	assert_string_equal(err.text, "line 129: more than 128 IO APICs");
	free(many);
	free(back);
	capture_free(&c);
}

/* Identity, Secure Boot, RSDPs, config files (any text, '|' lines too) and notes come back as written. */
static void firmware_file(void **state)
{
	struct fw_inputs fw = { .fw_vendor = "EDK\x1b[2J II\\", .fw_revision = 0x10000, .uefi_revision = 0x20046,
				.secure_boot = SECURE_BOOT_SETUP_MODE,
				.cmdline = "efi=debug",
				.notes = "memprobe: warning: one\nmemprobe: two\n" };
	struct fw_inputs back = { .frontend = NULL };
	struct runfile_error err;
	struct capture c;
	char *text;

	(void)state;
	fw.acpi.rsdp20 = 0xbf77e014;
	fw.option_files[0] = (struct option_source){ "\\memprobe.cfg", "mem=2G\n" };
	fw.option_files[1] = (struct option_source){ "\\memprobe\\memprobe.conf", "# c\n| x\n\nnuma=off" };
	fw.nr_option_files = 2;
	fw.efi.nr_config = 2;
	memcpy(fw.efi.config[0].guid, "\x71\xe8\x68\x88\xf1\xe4\xd3\x11\xbc\x22\x00\x80\xc7\x3c\x88\x81", 16);
	fw.efi.config[0].table = 0xbf77e014;
	memset(fw.efi.config[1].guid, 0xab, 16);
	fw.efi.config[1].table = 0x1000;
	fw.efi.roms_known = true;
	fw.efi.nr_roms = 1;
	fw.efi.roms[0] = (struct efi_pci_rom){ 1, 0x12, 0x1f, 7, 0x8086, 0x100e, 249856 };
	capture_init(&c);
	run_facts_write(&fw, &c.log);
	assert_true(capture_has_line(&c, "efi_table: 8868e871-e4f1-11d3-bc22-0080c73c8881 0xbf77e014"));
	assert_true(capture_has_line(&c, "pci_rom: 0001:12:1f.7 8086:100e 249856"));
	/* a firmware string never raw in the file: escaped as dmesg escapes it, and back */
	assert_true(capture_has_line(&c, "vendor: EDK\\x1b[2J II\\x5c"));
	text = copy_text(&c);
	assert_true(run_facts_read(text, &back, &err));
	assert_string_equal(back.fw_vendor, "EDK\x1b[2J II\\");
	assert_int_equal(back.fw_revision, 0x10000);
	assert_int_equal(back.uefi_revision, 0x20046);
	assert_int_equal(back.secure_boot, SECURE_BOOT_SETUP_MODE);
	assert_int_equal(back.acpi.rsdp20, 0xbf77e014);
	assert_int_equal(back.acpi.rsdp10, 0);
	assert_string_equal(back.cmdline, "efi=debug");
	assert_int_equal(back.nr_option_files, 2);
	assert_string_equal(back.option_files[0].name, "\\memprobe.cfg");
	assert_string_equal(back.option_files[0].text, "mem=2G\n");
	assert_string_equal(back.option_files[1].name, "\\memprobe\\memprobe.conf");
	assert_string_equal(back.option_files[1].text, "# c\n| x\n\nnuma=off\n");	/* a last newline added */
	assert_string_equal(back.notes, "memprobe: warning: one\nmemprobe: two\n");
	assert_int_equal(back.efi.nr_config, 2);
	assert_memory_equal(back.efi.config, fw.efi.config, sizeof(fw.efi.config[0]) * 2);
	assert_true(back.efi.roms_known);
	assert_int_equal(back.efi.nr_roms, 1);
	assert_memory_equal(&back.efi.roms[0], &fw.efi.roms[0], sizeof(fw.efi.roms[0]));
	free(text);

	text = strdup("efi_table: 8868e871-e4f1-11d3-bc22 0x1\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));
	assert_string_equal(err.text, "line 1: not 'efi_table: GUID 0xADDRESS' (or more than 64): "
				      "'8868e871-e4f1-11d3-bc22 0x1'");
	free(text);
	text = strdup("pci_rom: 0001:12:1f 8086:100e 1\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));
	free(text);
	/* the damage a reader must not take for a number or a GUID */
	text = strdup("efi_table: 8868e871-e4f1-11d3-bc22-0080c73c8881 0x1ffffffffffffffff\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));		/* 65 bits */
	free(text);
	text = strdup("efi_table: 8868e871e4f111d3bc220080c73c8881xxxx 0x1\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));		/* no hyphens */
	free(text);
	text = strdup("pci_rom: 0001:12:20.7 8086:100e 1\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));		/* device 32 */
	free(text);
	text = strdup("pci_rom: 0001:12:1f.7 8086:100e 18446744073709551616\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));		/* 2^64 */
	free(text);
	/* cut short before the identity's last lines: named */
	text = strdup("vendor: EDK II\nrevision: 0x10000\nuefi: 0x20046\nsecure_boot: off\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));
	assert_string_equal(err.text, "no 'rsdp20:' line (the file is cut short or damaged)");
	free(text);

	text = strdup("vendor: X\nsecure_boot: sideways\ncmdline: \n");
	assert_false(run_facts_read(text, &back, &err));
	assert_string_equal(err.text, "line 2: unknown Secure Boot state 'sideways'");
	free(text);
	text = strdup("vendor: X\n");
	assert_false(run_facts_read(text, &back, &err));
	assert_string_equal(err.text, "no 'cmdline:' line");
	free(text);
	text = strdup("garbage\n");
	assert_false(run_facts_read(text, &back, &err));
	assert_string_equal(err.text, "line 1 is not 'key: value' ('garbage')");
	free(text);
	capture_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memmap_file),
		cmocka_unit_test(cpu_file),
		cmocka_unit_test(cpu_records_file),
		cmocka_unit_test(ioapic_file),
		cmocka_unit_test(firmware_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
