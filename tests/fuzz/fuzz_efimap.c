// SPDX-License-Identifier: MIT
/*
 * The EFI memory map through the whole pipeline: the EFI stub's e820
 * conversion, the sanitizer, memblock, NUMA, zones and the views.  The
 * first byte picks the descriptor size (40 to 167 bytes, or a bad one),
 * options and the CPU (bit 6: LA57 and 1 GiB pages, else the assumed
 * CPU); the rest is the map.
 *
 * Two sets cap memory at 64 GiB, where a fuzzed map of terabytes made
 * each input cost tens of milliseconds for no new path: memblock=debug,
 * where Linux prints two lines per page-table page (13 MB for 64 TiB mapped
 * with 2 MiB pages), and numa=fake=512M, which makes at most 128 nodes
 * there: enough for memblock's arrays to double (past 128 regions), the
 * one fuzzed path to that.  Nodes of 256M made up to 256, and Linux's
 * per-node-pair work on them took nine tenths of this target's time; more
 * than 128 nodes are the unit tests' (fake_nodes_by_the_hundred) and
 * bench_scale's.  The other sets keep the whole map.
 */
#include "fuzz.h"

static const char *const option_sets[] = {
	"", "memblock=debug efi=debug mem=64G", "mem=1G", "numa=fake=4", "numa=off efi=nosoftreserve",
	"numa=fake=512M nokaslr mem=64G", "numa=fake=2U", "mem=0x12345000 memblock=debug",
	"pgtable_debug no5lvl", "nogbpages pgtable_debug nokaslr",
};
static const struct cpu_facts max_cpu = {
	.known = true, .vendor = "fuzz", .pse = true, .pge = true, .nx = true, .gbpages = true,
	.la57 = true, .phys_bits = 52, .virt_bits = 57,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_inputs fw = { .frontend = "fuzz" };

	if (size < 1)
		return 0;
	fw.memmap.desc_size = data[0] & 0x80 ? 48 : 40 + (data[0] & 0x3f) * 2;
	if ((data[0] & 0x7f) == 0x7f)
		fw.memmap.desc_size = data[0] % 40;	/* too small: named, not read */
	fw.memmap.desc_version = 1;
	fw.memmap.map = data + 1;
	fw.memmap.map_size = size - 1;
	fw.cmdline = option_sets[(data[0] >> 3) % (sizeof(option_sets) / sizeof(option_sets[0]))];
	fw.uefi_revision = 2 << 16 | 70;
	if (data[0] & 0x40)
		fw.cpu = max_cpu;
	fuzz_run(&fw, 1);
	return 0;
}
