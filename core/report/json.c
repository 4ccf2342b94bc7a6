// SPDX-License-Identifier: MIT
/*
 * report.json: the facts of the report for programs, in the shape
 * docs/report-schema.json describes.  Addresses and sizes are hex strings
 * (a 64-bit address does not fit a JSON number everywhere); counts are
 * numbers.  Written after memprobe_run, from the machine's state.
 */
#include "memprobe/report/json.h"

#include "memprobe/report/views.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/efi.h"
#include "memprobe/x86/numa_distance.h"

/* A streaming writer: one value per line, indented, commas where they belong. */
struct json {
	struct mp_log *out;
	unsigned depth;
	bool first;		/* no value yet at this depth */
};

static void key(struct json *j, const char *name)
{
	mp_printk(j->out, "%s\n%*s", j->first ? "" : ",", (int)(2 * j->depth), "");
	j->first = false;
	if (name)
		mp_printk(j->out, "\"%s\": ", name);
}

static void open_(struct json *j, const char *name, char bracket)
{
	key(j, name);
	mp_printk(j->out, "%c", bracket);
	j->depth++;
	j->first = true;
}

static void close_(struct json *j, char bracket)
{
	j->depth--;
	if (j->first)
		mp_printk(j->out, "%c", bracket);
	else
		mp_printk(j->out, "\n%*s%c", (int)(2 * j->depth), "", bracket);
	j->first = false;
}

static void str(struct json *j, const char *name, const char *s)
{
	char buf[MP_LINE_MAX];
	unsigned n = 0;

	key(j, name);
	for (; *s && n + 8 < sizeof(buf); s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			n += mp_snprintf(buf + n, sizeof(buf) - n, "\\u%04x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n] = '\0';
	mp_printk(j->out, "\"%s\"", buf);
}

static void num(struct json *j, const char *name, uint64_t v)
{
	key(j, name);
	mp_printk(j->out, "%llu", (unsigned long long)v);
}

static void inum(struct json *j, const char *name, int v)
{
	key(j, name);
	mp_printk(j->out, "%d", v);
}

static void hex(struct json *j, const char *name, uint64_t v)
{
	key(j, name);
	mp_printk(j->out, "\"0x%llx\"", (unsigned long long)v);
}

static void boolean(struct json *j, const char *name, bool v)
{
	key(j, name);
	mp_printk(j->out, "%s", v ? "true" : "false");
}

static void firmware(struct json *j, const struct machine *m)
{
	const struct fw_inputs *fw = m->fw;
	char words[MP_LINE_MAX - 32], uefi[16];

	open_(j, "memprobe", '{');
	str(j, "version", MEMPROBE_VERSION);
	str(j, "frontend", fw->frontend ? fw->frontend : "unknown");
	str(j, "kernel", m->opts.kernel->name);
	close_(j, '}');
	open_(j, "firmware", '{');
	str(j, "vendor", fw->fw_vendor);
	hex(j, "revision", fw->fw_revision);
	mp_snprintf(uefi, sizeof(uefi), "%u.%02u", fw->uefi_revision >> 16, fw->uefi_revision & 0xffff);
	str(j, "uefi", uefi);
	str(j, "secure_boot", secure_boot_word(fw->secure_boot));
	close_(j, '}');
	options_words(words, sizeof(words), m->option_src, m->nr_option_src);
	open_(j, "options", '{');
	str(j, "words", words);
	num(j, "errors", m->opts.nr_errors);
	close_(j, '}');
}

static void cpu(struct json *j, const struct machine *m)
{
	const struct cpu_facts *c = &m->paging.cpu;

	open_(j, "cpu", '{');
	boolean(j, "cpuid_read", m->fw->cpu.known);
	str(j, "vendor", c->vendor);
	boolean(j, "pse", c->pse);
	boolean(j, "pge", c->pge);
	boolean(j, "nx", c->nx);
	boolean(j, "gbpages", c->gbpages);
	boolean(j, "la57", c->la57);
	num(j, "phys_bits", c->phys_bits);
	num(j, "virt_bits", c->virt_bits);
	close_(j, '}');
}

static void efi_map(struct json *j, const struct machine *m)
{
	const struct efi_memmap *map = &m->fw->memmap;
	uint32_t n = map->map && map->desc_size ? (uint32_t)(map->map_size / map->desc_size) : 0;

	open_(j, "efi_memory_map", '{');
	boolean(j, "read", map->map != NULL);
	num(j, "descriptor_size", map->desc_size);
	num(j, "descriptor_version", map->desc_version);
	open_(j, "descriptors", '[');
	/* A descriptor size below 40 bytes cannot be decoded: the report says so, the list stays empty. */
	for (uint32_t i = 0; map->desc_size >= 40 && i < n; i++) {
		struct efi_md md;

		efi_memmap_desc(map, i, &md);
		open_(j, NULL, '{');
		num(j, "type", md.type);
		hex(j, "phys", md.phys_addr);
		hex(j, "pages", md.num_pages);
		hex(j, "attribute", md.attribute);
		close_(j, '}');
	}
	close_(j, ']');
	close_(j, '}');
}

/* The configuration tables and option ROMs, and what Linux's boot makes of them. */
static void efi_tables(struct json *j, const struct machine *m)
{
	const struct efi_tables *t = &m->fw->efi;
	char text[EFI_GUID_TEXT_SIZE];

	open_(j, "efi_tables", '{');
	open_(j, "config_tables", '[');
	for (unsigned i = 0; i < t->nr_config; i++) {
		const char *name = efi_config_table_name(m, t->config[i].guid);

		open_(j, NULL, '{');
		efi_guid_text(text, t->config[i].guid);
		str(j, "guid", text);
		hex(j, "address", t->config[i].table);
		if (name)
			str(j, "linux_name", name);
		close_(j, '}');
	}
	close_(j, ']');
	boolean(j, "pci_roms_known", t->roms_known);
	open_(j, "pci_roms", '[');
	for (unsigned i = 0; i < t->nr_roms; i++) {
		open_(j, NULL, '{');
		efi_pci_location_text(text, &t->roms[i]);
		str(j, "location", text);
		hex(j, "vendor", t->roms[i].vendor);
		hex(j, "device", t->roms[i].devid);
		hex(j, "size", t->roms[i].size);
		close_(j, '}');
	}
	close_(j, ']');
	open_(j, "setup_data", '[');
	for (unsigned i = 0; i < m->nr_setup_data; i++) {
		open_(j, NULL, '{');
		num(j, "type", m->setup_data[i].type);
		if (m->setup_data[i].addr)
			hex(j, "address", m->setup_data[i].addr);
		hex(j, "size", m->setup_data[i].size);
		close_(j, '}');
	}
	close_(j, ']');
	open_(j, "efi_mem_reserve", '[');
	for (unsigned i = 0; i < m->nr_efi_kept; i++) {
		open_(j, NULL, '{');
		hex(j, "start", m->efi_kept[i].start);
		hex(j, "end", m->efi_kept[i].end - 1);
		close_(j, '}');
	}
	close_(j, ']');
	close_(j, '}');
}

static void e820(struct json *j, const char *name, const struct e820_table *t)
{
	open_(j, name, '[');
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		char type[32];

		open_(j, NULL, '{');
		hex(j, "start", t->entries[i].addr);
		hex(j, "end", t->entries[i].addr + t->entries[i].size - 1);
		str(j, "type", e820_type_name(t->entries[i].type, type, sizeof(type)));
		close_(j, '}');
	}
	close_(j, ']');
}

static void acpi(struct json *j, const struct machine *m)
{
	open_(j, "acpi", '{');
	hex(j, "rsdp", m->acpi.rsdp_phys);
	open_(j, "tables", '[');
	for (unsigned i = 0; i < m->acpi.nr; i++) {
		const struct acpi_table *t = &m->acpi.t[i];

		open_(j, NULL, '{');
		str(j, "signature", t->sig);
		hex(j, "address", t->phys);
		num(j, "length", t->length);
		close_(j, '}');
	}
	close_(j, ']');
	close_(j, '}');
}

static void srat(struct json *j, const struct machine *m)
{
	const struct srat_info *s = &m->srat;

	open_(j, "srat", '{');
	boolean(j, "present", s->present);
	boolean(j, "used", m->numa.from_srat);
	open_(j, "memory", '[');
	for (unsigned i = 0; i < s->nr_memblks; i++) {
		open_(j, NULL, '{');
		hex(j, "start", s->memblk[i].start);
		hex(j, "end", s->memblk[i].end - 1);
		inum(j, "node", s->memblk[i].nid);
		close_(j, '}');
	}
	close_(j, ']');
	open_(j, "pxm_to_node", '[');
	for (int pxm = 0; pxm < MAX_PXM_DOMAINS; pxm++)
		if (s->pxm_to_node[pxm] != NUMA_NO_NODE) {
			open_(j, NULL, '{');
			inum(j, "pxm", pxm);
			inum(j, "node", s->pxm_to_node[pxm]);
			close_(j, '}');
		}
	close_(j, ']');
	open_(j, "cpus", '[');
	for (int apic = 0; apic < MAX_LOCAL_APIC; apic++)
		if (s->apicid_to_node[apic] != NUMA_NO_NODE) {
			open_(j, NULL, '{');
			hex(j, "apic_id", (uint64_t)apic);
			inum(j, "node", s->apicid_to_node[apic]);
			close_(j, '}');
		}
	close_(j, ']');
	hex(j, "hotplug_bytes", s->hotplug_bytes);
	close_(j, '}');
}

static void slit(struct json *j, const struct machine *m)
{
	const struct slit_info *s = &m->slit;

	open_(j, "slit", '{');
	boolean(j, "present", s->present);
	boolean(j, "valid", s->valid);
	num(j, "localities", s->localities);
	open_(j, "distances", '[');
	for (uint32_t from = 0; s->matrix && from < s->localities; from++) {
		open_(j, NULL, '[');
		for (uint32_t to = 0; to < s->localities; to++)
			num(j, NULL, s->matrix[from * s->localities + to]);
		close_(j, ']');
	}
	close_(j, ']');
	close_(j, '}');
}

static void madt(struct json *j, const struct machine *m)
{
	open_(j, "madt", '{');
	boolean(j, "present", m->madt.present);
	open_(j, "cpus", '[');
	for (unsigned i = 0; i < m->madt.nr_cpus; i++) {
		const struct madt_cpu *c = &m->madt.cpus[i];

		open_(j, NULL, '{');
		hex(j, "apic_id", c->apic_id);
		num(j, "uid", c->uid);
		boolean(j, "enabled", c->enabled);
		boolean(j, "online_capable", c->online_capable);
		boolean(j, "x2apic", c->x2apic);
		close_(j, '}');
	}
	close_(j, ']');
	open_(j, "io_apics", '[');
	for (unsigned i = 0; i < m->io_apics.nr; i++) {
		const struct io_apic *a = &m->io_apics.a[i];

		open_(j, NULL, '{');
		hex(j, "address", a->address);
		num(j, "apic_id", a->apic_id);
		num(j, "gsi_base", a->gsi_base);
		boolean(j, "registers_read", a->known);
		if (a->known) {
			num(j, "version", a->version);
			num(j, "gsi_end", a->gsi_end);
		}
		close_(j, '}');
	}
	close_(j, ']');
	close_(j, '}');
}

static void nodes(struct json *j, const struct machine *m)
{
	int node_of[MADT_MAX_CPUS];
	bool guessed = false;
	unsigned ncpu = report_cpu_nodes(m, node_of, &guessed);
	int nid, to;

	open_(j, "nodes", '[');
	for_each_node_mask(nid, m->numa.possible) {
		open_(j, NULL, '{');
		inum(j, "node", nid);
		open_(j, "cpus", '[');
		for (unsigned c = 0; c < ncpu; c++)
			if (report_cpu_in_node(m, node_of, c, nid))
				num(j, NULL, c);
		close_(j, ']');
		boolean(j, "cpus_by_round_robin", guessed);
		open_(j, "distances", '[');
		for_each_node_mask(to, m->numa.possible)
			inum(j, NULL, node_distance(m, nid, to));
		close_(j, ']');
		open_(j, "memory", '[');
		for (unsigned long i = 0; i < m->memblock.memory.cnt; i++)
			if (m->memblock.memory.regions[i].nid == nid) {
				open_(j, NULL, '{');
				hex(j, "start", m->memblock.memory.regions[i].base);
				hex(j, "end", m->memblock.memory.regions[i].base + m->memblock.memory.regions[i].size - 1);
				close_(j, '}');
			}
		close_(j, ']');
		hex(j, "node_data", m->numa.node_data[nid]);
		open_(j, "zones", '[');
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (m->zones.spanned[nid][z]) {
				open_(j, NULL, '{');
				str(j, "zone", zone_names[z]);
				hex(j, "start_pfn", m->zones.zone_start[nid][z]);
				num(j, "spanned", m->zones.spanned[nid][z]);
				num(j, "present", m->zones.present[nid][z]);
				close_(j, '}');
			}
		close_(j, ']');
		close_(j, '}');
	}
	close_(j, ']');
}

static void regions(struct json *j, const char *name, const struct memblock_type *t)
{
	open_(j, name, '[');
	for (unsigned long i = 0; i < t->cnt; i++) {
		open_(j, NULL, '{');
		hex(j, "base", t->regions[i].base);
		hex(j, "size", t->regions[i].size);
		inum(j, "node", t->regions[i].nid);
		num(j, "flags", t->regions[i].flags);
		close_(j, '}');
	}
	close_(j, ']');
}

static void paging(struct json *j, const struct machine *m)
{
	open_(j, "page_tables", '{');
	num(j, "levels", m->paging.levels);
	hex(j, "max_arch_pfn", m->paging.max_arch_pfn);
	hex(j, "page_offset", m->paging.page_offset);
	boolean(j, "pages_2m", m->dm.page_size_mask & PG_2M);
	boolean(j, "pages_1g", m->dm.page_size_mask & PG_1G);
	num(j, "table_pages_brk", m->dm.brk_pages);
	num(j, "table_pages_memblock", m->dm.memblock_pages);
	open_(j, "direct_map_kb", '{');
	num(j, "4k", m->dm.direct_pages_count[DM_4K] * 4);
	num(j, "2M", m->dm.direct_pages_count[DM_2M] * 2048);
	num(j, "1G", m->dm.direct_pages_count[DM_1G] * 1048576);
	close_(j, '}');
	close_(j, '}');
}

static void defects(struct json *j, const struct machine *m)
{
	open_(j, "defects", '[');
	for (unsigned i = 0; i < m->defects.nr; i++) {
		const struct defect *d = &m->defects.d[i];

		open_(j, NULL, '{');
		str(j, "kind", d->kind);
		str(j, "table", d->table);
		key(j, "offset");
		if (d->has_offset)
			mp_printk(j->out, "%u", d->offset);
		else
			mp_printk(j->out, "null");
		str(j, "text", d->text);
		close_(j, '}');
	}
	close_(j, ']');
	num(j, "defects_not_listed", m->defects.dropped);
}

static void timing(struct json *j, const struct machine *m)
{
	static const char *const phases[PHASES] = { "e820", "memblock", "acpi", "numa", "zones", "late", "output" };

	key(j, "timing_us");
	if (!m->fw->clock.now_ns) {
		mp_printk(j->out, "null");
		return;
	}
	j->first = true;
	mp_printk(j->out, "{");
	j->depth++;
	for (int i = 0; i < PHASES; i++)
		num(j, phases[i], m->phase_ns[i] / 1000);
	close_(j, '}');
}

/**
 * report_json() - report.json for a machine memprobe_run has analysed
 * @m: the machine
 * @out: where the JSON text goes
 */
void report_json(const struct machine *m, struct mp_log *out)
{
	struct json j = { out, 0, true };

	mp_printk(out, "{");
	j.depth = 1;
	firmware(&j, m);
	cpu(&j, m);
	efi_map(&j, m);
	efi_tables(&j, m);
	open_(&j, "e820", '{');
	e820(&j, "firmware", &m->e820_table_firmware);
	e820(&j, "final", &m->e820_table);
	close_(&j, '}');
	hex(&j, "max_pfn", m->max_pfn);
	acpi(&j, m);
	srat(&j, m);
	slit(&j, m);
	madt(&j, m);
	nodes(&j, m);
	open_(&j, "memblock", '{');
	regions(&j, "memory", &m->memblock.memory);
	regions(&j, "reserved", &m->memblock.reserved);
	close_(&j, '}');
	paging(&j, m);
	defects(&j, m);
	timing(&j, m);
	mp_printk(out, "\n}\n");
}
