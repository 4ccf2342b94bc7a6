// SPDX-License-Identifier: MIT
/*
 * Run-folder files: written by memprobe.efi from its inputs, read back by
 * memprobe analyze into the same inputs.  The text files are "key: value"
 * lines; readers refuse what they do not know rather than guess.
 */
#include "memprobe/runfile.h"

#include "memprobe/lib/util.h"
#include "memprobe/options.h"
#include "memprobe/x86/efi.h"

static bool fail(struct runfile_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct runfile_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mp_vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return false;
}

/**
 * memmap_file_header_init() - memmap.bin's header for a map
 * @h: the header to fill
 * @map: the map as GetMemoryMap returned it
 */
void memmap_file_header_init(struct memmap_file_header *h, const struct efi_memmap *map)
{
	mp_memset(h, 0, sizeof(*h));
	mp_memcpy(h->magic, MEMMAP_FILE_MAGIC, sizeof(h->magic));
	h->header_size = sizeof(*h);
	h->desc_version = map->desc_version;
	h->desc_size = map->desc_size;
	h->map_size = map->map_size;
	mp_memcpy(h->version, MEMPROBE_VERSION, sizeof(MEMPROBE_VERSION));
}

/**
 * memmap_file_read() - the memory map a memmap.bin holds
 * @buf: the file's bytes, which must stay while @map is used
 * @len: its length
 * @map: the map, pointing into @buf
 * @err: why not, when it cannot be used
 *
 * The map is taken as it is, even when its descriptor size is odd: the
 * analysis names such firmware defects as it does on the machine.
 *
 * Return: whether @map can be used.
 */
bool memmap_file_read(const uint8_t *buf, size_t len, struct efi_memmap *map, struct runfile_error *err)
{
	struct memmap_file_header h;

	if (len < sizeof(h))
		return fail(err, "%zu bytes, shorter than its %zu-byte header", len, sizeof(h));
	mp_memcpy(&h, buf, sizeof(h));
	if (mp_memcmp(h.magic, MEMMAP_FILE_MAGIC, sizeof(h.magic)))
		return fail(err, "not a memprobe memory-map file (no '%s' at its start)", MEMMAP_FILE_MAGIC);
	if (h.header_size < sizeof(h) || h.header_size > len)
		return fail(err, "its header claims %u bytes (expected at least %zu, at most the file's %zu)",
			    h.header_size, sizeof(h), len);
	if (h.map_size > MEMMAP_MAP_MAX)
		return fail(err, "its header says the map has %llu bytes, more than the %u MiB memprobe takes "
				 "(firmware's maps hold a few hundred descriptors)",
			    (unsigned long long)h.map_size, MEMMAP_MAP_MAX >> 20);
	if (h.map_size != len - h.header_size)
		return fail(err, "its header says the map has %llu bytes, the file holds %zu after the header "
				 "(truncated or padded)",
			    (unsigned long long)h.map_size, len - h.header_size);
	map->map = buf + h.header_size;
	map->map_size = h.map_size;
	map->desc_size = h.desc_size;
	map->desc_version = h.desc_version;
	return true;
}

/* The next line of text (NUL-terminated in place); NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *e = line;

	if (!*line)
		return NULL;
	while (*e && *e != '\n')
		e++;
	*p = e + (*e == '\n');
	if (e > line && e[-1] == '\r')
		e[-1] = '\0';
	*e = '\0';
	return line;
}

/* Split "key: value"; false when the line has no ": ". */
static bool split_key(char *line, const char **value)
{
	for (char *c = line; *c; c++)
		if (c[0] == ':' && c[1] == ' ') {
			*c = '\0';
			*value = c + 2;
			return true;
		}
	return false;
}

/* A decimal or 0x-hex number, whole and at most max; false when it is not one or does not fit 64 bits. */
static bool read_number(const char *s, uint64_t max, uint64_t *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *p = hex ? s + 2 : s;
	unsigned base = hex ? 16 : 10;

	*v = 0;
	if (!*p)
		return false;
	for (; *p; p++) {
		int d = mp_hexval(*p);

		if (d < 0 || (unsigned)d >= base || *v > (UINT64_MAX - (unsigned)d) / base)
			return false;
		*v = *v * base + (unsigned)d;
	}
	return *v <= max;
}

static const char *const cpu_flag_names[] = { "pse", "pge", "nx", "gbpages", "la57", "hypervisor" };

static bool *cpu_flag(struct cpu_facts *cpu, unsigned i)
{
	bool *const flags[] = { &cpu->pse, &cpu->pge, &cpu->nx, &cpu->gbpages, &cpu->la57, &cpu->hypervisor };

	return flags[i];
}

/**
 * cpu_facts_write() - cpu.txt: the CPU facts a run used
 * @cpu: the facts (known false: CPUID was not read)
 * @out: where the text goes
 */
void cpu_facts_write(const struct cpu_facts *cpu, struct mp_log *out)
{
	mp_printk(out, "# memprobe %s: the CPUID facts Linux's memory setup depends on\n", MEMPROBE_VERSION);
	mp_printk(out, "cpuid: %s\n", cpu->known ? "read" : "not read");
	if (!cpu->known)
		return;
	mp_printk(out, "vendor: %s\n", cpu->vendor);
	for (unsigned i = 0; i < sizeof(cpu_flag_names) / sizeof(cpu_flag_names[0]); i++)
		mp_printk(out, "%s: %s\n", cpu_flag_names[i],
			  *cpu_flag((struct cpu_facts *)cpu, i) ? "yes" : "no");
	mp_printk(out, "phys_bits: %u\nvirt_bits: %u\n", cpu->phys_bits, cpu->virt_bits);
	if (cpu->apic_id_known)
		mp_printk(out, "apic_id: %#x\n", cpu->apic_id);
}

/* One "key: value" line of cpu.txt into cpu. */
static bool cpu_fact(struct cpu_facts *cpu, const char *key, const char *v)
{
	uint64_t n;

	if (!mp_strcmp(key, "cpuid") && (!mp_strcmp(v, "read") || !mp_strcmp(v, "not read"))) {
		cpu->known = v[0] == 'r';
		return true;
	}
	if (!mp_strcmp(key, "vendor") && mp_strlen(v) < sizeof(cpu->vendor)) {
		mp_memcpy(cpu->vendor, v, mp_strlen(v) + 1);
		return true;
	}
	for (unsigned i = 0; i < sizeof(cpu_flag_names) / sizeof(cpu_flag_names[0]); i++)
		if (!mp_strcmp(key, cpu_flag_names[i]) && (!mp_strcmp(v, "yes") || !mp_strcmp(v, "no"))) {
			*cpu_flag(cpu, i) = v[0] == 'y';
			return true;
		}
	if (!mp_strcmp(key, "apic_id") && read_number(v, UINT32_MAX, &n)) {
		cpu->apic_id_known = true;
		cpu->apic_id = (uint32_t)n;
		return true;
	}
	if ((!mp_strcmp(key, "phys_bits") || !mp_strcmp(key, "virt_bits")) && read_number(v, 64, &n)) {
		*(key[0] == 'p' ? &cpu->phys_bits : &cpu->virt_bits) = (uint8_t)n;
		return true;
	}
	return false;
}

/* The facts every cpu.txt with "cpuid: read" has (hypervisor and apic_id came later: older runs lack them). */
static const char *const required_facts[] = { "vendor", "pse", "pge", "nx", "gbpages", "la57", "phys_bits",
					      "virt_bits" };

/* A required fact's bit, 0 for any other key. */
static unsigned fact_bit(const char *key)
{
	for (unsigned i = 0; i < sizeof(required_facts) / sizeof(required_facts[0]); i++)
		if (!mp_strcmp(key, required_facts[i]))
			return 1u << i;
	return 0;
}

/* The first required fact not seen, or NULL. */
static const char *missing_fact(unsigned seen)
{
	for (unsigned i = 0; i < sizeof(required_facts) / sizeof(required_facts[0]); i++)
		if (!(seen & (1u << i)))
			return required_facts[i];
	return NULL;
}

/* Split v at spaces, in place, into at most max words. Return: how many, max + 1 when more. */
static unsigned split_words(char *v, char **w, unsigned max)
{
	unsigned n = 0;

	while (*v) {
		if (n == max)
			return max + 1;
		w[n++] = v;
		while (*v && *v != ' ')
			v++;
		if (*v)
			*v++ = '\0';
	}
	return n;
}

static const char *const cpus_source_words[] = {
	[CPUS_NOT_READ] = "not-read", [CPUS_BOOT_ONLY] = "boot-only", [CPUS_MP_SERVICES] = "mp-services",
	[CPUS_LINUX] = "linux",
};

/**
 * cpu_records_write() - cpu.txt's second part: every CPU's leaves and MSRs
 * @cpus: the records (source CPUS_NOT_READ: nothing is written)
 * @out: where the text goes
 */
void cpu_records_write(const struct cpu_records *cpus, struct mp_log *out)
{
	if (cpus->source == CPUS_NOT_READ)
		return;
	mp_printk(out, "# every CPU: the firmware's number, APIC ID and package.core.thread, then its CPUID leaves\n"
		       "# (leaf subleaf eax ebx ecx edx) and MSRs (number value)\n");
	mp_printk(out, "cpus: %s %u of %u\n", cpus_source_words[cpus->source], cpus->nr, cpus->nr_firmware);
	for (unsigned i = 0; i < cpus->nr; i++) {
		const struct cpu_record *c = &cpus->cpu[i];

		mp_printk(out, "cpu: %u %#x %u.%u.%u %s\n", c->number, c->apic_id, c->package, c->core, c->thread,
			  cpu_read_state_word(c->state));
		if (c->state != CPU_READ)
			continue;	/* whatever a CPU given up on left in its record is not its answer */
		for (unsigned l = 0; l < c->nr_leaves; l++)
			mp_printk(out, "leaf: %#010x %#x %#010x %#010x %#010x %#010x\n", c->leaf[l].leaf,
				  c->leaf[l].subleaf, c->leaf[l].eax, c->leaf[l].ebx, c->leaf[l].ecx, c->leaf[l].edx);
		for (unsigned r = 0; r < c->nr_msrs; r++)
			mp_printk(out, "msr: %#010x %#018llx\n", c->msr[r].msr, (unsigned long long)c->msr[r].value);
	}
}

/* "N 0xAPIC P.C.T state": a record's head. */
static bool read_cpu_head(char *v, struct cpu_record *c)
{
	char *w[6], *place[4];
	uint64_t n[5];
	unsigned nw = split_words(v, w, 5), np;

	mp_memset(c, 0, sizeof(*c));
	if (nw < 4 || nw > 5)
		return false;
	if (nw == 5) {		/* "timed out": the state's two words */
		if (mp_strcmp(w[3], "timed") || mp_strcmp(w[4], "out"))
			return false;
		c->state = CPU_TIMED_OUT;
	} else {
		unsigned s = 0;

		while (s < CPU_READ_STATES && mp_strcmp(w[3], cpu_read_state_word(s)))
			s++;
		if (s == CPU_READ_STATES || s == CPU_TIMED_OUT)
			return false;
		c->state = s;
	}
	for (np = 0, place[0] = w[2]; *w[2]; w[2]++)
		if (*w[2] == '.') {
			*w[2] = '\0';
			if (++np == 3)
				return false;
			place[np] = w[2] + 1;
		}
	if (np != 2 || !read_number(w[0], UINT32_MAX, &n[0]) || !read_number(w[1], UINT32_MAX, &n[1]))
		return false;
	for (unsigned i = 0; i < 3; i++)
		if (!read_number(place[i], UINT32_MAX, &n[2 + i]))
			return false;
	c->number = (uint32_t)n[0];
	c->apic_id = (uint32_t)n[1];
	c->package = (uint32_t)n[2];
	c->core = (uint32_t)n[3];
	c->thread = (uint32_t)n[4];
	return true;
}

/* "leaf: ..." (6 numbers) or "msr: ..." (2) into the record being read. */
static bool read_cpu_value(const char *key, char *v, struct cpu_record *c)
{
	bool leaf = !mp_strcmp(key, "leaf");
	unsigned want = leaf ? 6 : 2;
	char *w[6];
	uint64_t n[6];

	if (split_words(v, w, want) != want)
		return false;
	for (unsigned i = 0; i < want; i++)
		if (!read_number(w[i], leaf || i == 0 ? UINT32_MAX : UINT64_MAX, &n[i]))
			return false;
	if (leaf) {
		const uint32_t regs[4] = { (uint32_t)n[2], (uint32_t)n[3], (uint32_t)n[4], (uint32_t)n[5] };

		if (c->nr_leaves == CPU_LEAVES_MAX)
			return false;
		cpu_record_add_leaf(c, (uint32_t)n[0], (uint32_t)n[1], regs);
	} else {
		if (c->nr_msrs == CPU_MSRS_MAX)
			return false;
		cpu_record_add_msr(c, (uint32_t)n[0], n[1]);
	}
	return true;
}

/* "cpus: SOURCE N of M": where the records came from, how many, of how many. */
static bool read_cpus_line(char *v, struct cpu_records *cpus, unsigned *said)
{
	char *w[4];
	uint64_t n, of;
	unsigned s = CPUS_BOOT_ONLY;

	if (split_words(v, w, 4) != 4 || mp_strcmp(w[2], "of"))
		return false;
	while (s <= CPUS_LINUX && mp_strcmp(w[0], cpus_source_words[s]))
		s++;
	if (s > CPUS_LINUX || !read_number(w[1], CPU_RECORDS_MAX, &n) ||
	    !read_number(w[3], UINT32_MAX, &of) || !n || n > of)
		return false;
	cpus->source = s;
	*said = (unsigned)n;
	cpus->nr_firmware = (uint32_t)of;
	return true;
}

/**
 * cpu_facts_read() - the facts and the CPUs' records of a cpu.txt
 * @text: the file's text, NUL-terminated; lines are cut in place
 * @cpu: the facts
 * @cpus: the records: cpus->cpu holds room for @cap; source CPUS_NOT_READ when the file has none
 * @cap: the records @cpus can take
 * @err: why not
 *
 * Return: whether every line was understood and the records agree with their count.
 */
bool cpu_facts_read(char *text, struct cpu_facts *cpu, struct cpu_records *cpus, unsigned cap,
		    struct runfile_error *err)
{
	unsigned nr = 0, said = 0, seen = 0;
	bool cpuid_line = false;
	struct cpu_record *c = NULL;
	const char *v, *missing;

	mp_memset(cpu, 0, sizeof(*cpu));
	cpus->source = CPUS_NOT_READ;
	cpus->nr = cpus->nr_firmware = 0;
	for (char *line; (line = next_line(&text));) {
		nr++;
		if (!line[0] || line[0] == '#')
			continue;
		if (!split_key(line, &v))
			return fail(err, "line %u is not a CPU fact memprobe writes ('%.40s')", nr, line);
		if (!mp_strcmp(line, "cpus")) {
			if (cpus->source != CPUS_NOT_READ || !read_cpus_line((char *)v, cpus, &said))
				return fail(err, "line %u: a second or damaged 'cpus:' line", nr);
			continue;
		}
		if (!mp_strcmp(line, "cpu")) {
			if (cpus->source == CPUS_NOT_READ)
				return fail(err, "line %u: a CPU's record before the 'cpus:' line", nr);
			if (cpus->nr == cap)
				return fail(err, "line %u: more than %u CPUs' records", nr, cap);
			c = &cpus->cpu[cpus->nr++];
			if (!read_cpu_head((char *)v, c))
				return fail(err, "line %u: a damaged CPU record ('%.40s')", nr, v);
			continue;
		}
		if (!mp_strcmp(line, "leaf") || !mp_strcmp(line, "msr")) {
			if (!c || c->state != CPU_READ)
				return fail(err, "line %u: a %s with no CPU read before it", nr, line);
			if (!read_cpu_value(line, (char *)v, c))
				return fail(err, "line %u: a damaged %s, or more than the record holds", nr, line);
			continue;
		}
		if (!cpu_fact(cpu, line, v))
			return fail(err, "line %u is not a CPU fact memprobe writes ('%.40s')", nr, line);
		cpuid_line |= !mp_strcmp(line, "cpuid");
		seen |= fact_bit(line);
	}
	if (!cpuid_line)
		return fail(err, "no 'cpuid:' line");
	if (cpu->known && (missing = missing_fact(seen)))
		return fail(err, "no '%s:' line (the file is cut short or damaged)", missing);
	if (cpus->source != CPUS_NOT_READ && cpus->nr != said)
		return fail(err, "'cpus:' counts %u CPUs read, the file has %u records", said, cpus->nr);
	return true;
}

/**
 * ioapic_reads_write() - ioapic.txt: the IO APICs' registers a run read
 * @r: the registers, one IO APIC each
 * @out: where the text goes
 */
void ioapic_reads_write(const struct ioapic_reads *r, struct mp_log *out)
{
	mp_printk(out, "# memprobe %s: the IO APICs' registers 0-2 (ID, version, arbitration), as read\n",
		  MEMPROBE_VERSION);
	for (unsigned i = 0; i < r->nr; i++)
		mp_printk(out, "ioapic: %#010x %#010x %#010x %#010x\n", r->r[i].base, r->r[i].reg[0],
			  r->r[i].reg[1], r->r[i].reg[2]);
}

/* "0xBASE 0xREG0 0xREG1 0xREG2": four 32-bit numbers, one space apart. */
static bool read_ioapic_line(char *v, struct ioapic_regs *regs)
{
	uint32_t *field[1 + IO_APIC_REGS] = { &regs->base, &regs->reg[0], &regs->reg[1], &regs->reg[2] };

	for (unsigned i = 0; i < 1 + IO_APIC_REGS; i++) {
		char *end = v;
		uint64_t n;

		while (*end && *end != ' ')
			end++;
		if (i + 1 < 1 + IO_APIC_REGS ? *end != ' ' : *end != '\0')
			return false;
		*end = '\0';
		if (!read_number(v, UINT32_MAX, &n))
			return false;
		*field[i] = (uint32_t)n;
		v = end + 1;
	}
	return true;
}

/**
 * ioapic_reads_read() - the registers of an ioapic.txt
 * @text: the file's text, NUL-terminated; lines are cut in place
 * @r: the registers
 * @err: why not
 *
 * Return: whether every line was understood, each IO APIC once and at most
 * MAX_IO_APICS of them.
 */
bool ioapic_reads_read(char *text, struct ioapic_reads *r, struct runfile_error *err)
{
	unsigned nr = 0;
	const char *v;

	mp_memset(r, 0, sizeof(*r));
	for (char *line; (line = next_line(&text));) {
		struct ioapic_regs regs, seen;

		nr++;
		if (!line[0] || line[0] == '#')
			continue;
		if (!split_key(line, &v) || mp_strcmp(line, "ioapic") || !read_ioapic_line((char *)v, &regs))
			return fail(err, "line %u is not 'ioapic: BASE REG0 REG1 REG2' ('%.40s')", nr, line);
		if (ioapic_reads_find(r, regs.base, seen.reg))
			return fail(err, "line %u: the IO APIC at %#x again", nr, regs.base);
		if (r->nr == MAX_IO_APICS)
			return fail(err, "line %u: more than %u IO APICs", nr, MAX_IO_APICS);
		r->r[r->nr++] = regs;
	}
	return true;
}

/* Text as "PREFIX line" lines, one per line of text. */
static void write_quoted(struct mp_log *out, const char *prefix, const char *text)
{
	while (text && *text) {
		int n = 0;

		while (text[n] && text[n] != '\n')
			n++;
		mp_printk(out, "%s%.*s\n", prefix, n, text);
		text += n + (text[n] == '\n');
	}
}

/* The GUID text efi_guid_text() writes, back into bytes; false when it is not one. */
static bool read_guid(const char *s, uint8_t *g)
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned n = 0;

	for (const char *p = s; n < 32; p++) {
		int v = mp_hexval(*p);

		if (p - s == 8 || p - s == 13 || p - s == 18 || p - s == 23) {
			if (*p != '-')
				return false;
			continue;
		}
		if (v < 0)
			return false;
		if (n % 2 == 0)
			g[order[n / 2]] = (uint8_t)(v << 4);
		else
			g[order[n / 2]] |= (uint8_t)v;
		n++;
	}
	return s[36] == ' ';
}

/* "efi_table: GUID 0xADDRESS" */
static bool read_config_table(const char *v, struct efi_tables *t)
{
	struct efi_config_table *c;
	uint64_t n;

	if (t->nr_config == EFI_CONFIG_TABLES_MAX || mp_strlen(v) < 38)
		return false;
	c = &t->config[t->nr_config];
	if (!read_guid(v, c->guid) || !read_number(v + 37, UINT64_MAX, &n))
		return false;
	c->table = n;
	t->nr_config++;
	return true;
}

/* "pci_rom: SSSS:BB:DD.F VVVV:DDDD SIZE", numbers in hex but the size. */
static bool read_pci_rom(const char *v, struct efi_tables *t)
{
	static const char shape[] = "HHHH:HH:HH.H HHHH:HHHH ";
	uint32_t field[7] = { 0 };
	unsigned f = 0;
	uint64_t size;

	if (t->nr_roms == EFI_PCI_ROMS_MAX || mp_strlen(v) <= sizeof(shape) - 1)
		return false;
	for (unsigned i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] != 'H') {
			if (v[i] != shape[i])
				return false;
			f++;
			continue;
		}
		if (mp_hexval(v[i]) < 0)
			return false;
		field[f] = field[f] << 4 | (uint32_t)mp_hexval(v[i]);
	}
	if (!read_number(v + sizeof(shape) - 1, UINT64_MAX, &size) || field[2] > 0x1f || field[3] > 7)
		return false;
	t->roms[t->nr_roms++] = (struct efi_pci_rom){ (uint16_t)field[0], (uint8_t)field[1], (uint8_t)field[2],
						      (uint8_t)field[3], (uint16_t)field[4], (uint16_t)field[5], size };
	return true;
}

/**
 * run_facts_write() - firmware.txt: what a run took from the firmware besides
 * the memory map, the ACPI tables and the CPU
 * @fw: the run's inputs
 * @out: where the text goes
 *
 * The options are kept as given (each config file whole, the command line),
 * so a re-analysis parses them as the run did and prints the same lines.
 */
void run_facts_write(const struct fw_inputs *fw, struct mp_log *out)
{
	char text[EFI_GUID_TEXT_SIZE], vendor[4 * sizeof(fw->fw_vendor)];

	mp_printk(out, "# memprobe %s: the firmware's identity and the run's options and notes\n",
		  MEMPROBE_VERSION);
	mp_printk(out, "vendor: %s\nrevision: 0x%08x\nuefi: 0x%08x\n",
		  mp_escape(vendor, sizeof(vendor), fw->fw_vendor, sizeof(fw->fw_vendor), true), fw->fw_revision,
		  fw->uefi_revision);
	mp_printk(out, "secure_boot: %s\n", secure_boot_word(fw->secure_boot));
	mp_printk(out, "rsdp20: 0x%llx\nrsdp10: 0x%llx\n", (unsigned long long)fw->acpi.rsdp20,
		  (unsigned long long)fw->acpi.rsdp10);
	for (unsigned i = 0; i < fw->efi.nr_config; i++) {
		efi_guid_text(text, fw->efi.config[i].guid);
		mp_printk(out, "efi_table: %s 0x%llx\n", text, (unsigned long long)fw->efi.config[i].table);
	}
	mp_printk(out, "pci_roms: %s\n", fw->efi.roms_known ? "known" : "unknown");
	for (unsigned i = 0; i < fw->efi.nr_roms; i++) {
		const struct efi_pci_rom *r = &fw->efi.roms[i];

		efi_pci_location_text(text, r);
		mp_printk(out, "pci_rom: %s %04x:%04x %llu\n", text, r->vendor, r->devid, (unsigned long long)r->size);
	}
	for (unsigned i = 0; i < fw->nr_option_files; i++) {
		mp_printk(out, "config: %s\n", fw->option_files[i].name);
		write_quoted(out, "| ", fw->option_files[i].text);
	}
	mp_printk(out, "cmdline: %s\n", fw->cmdline ? fw->cmdline : "");
	write_quoted(out, "note: ", fw->notes);
}

/* Text gathered in place: values move down over the keys they followed. */
struct gather {
	char *at;
};

static char *gather_start(struct gather *g)
{
	return g->at;
}

static void gather_add(struct gather *g, const char *s, bool newline)
{
	size_t n = mp_strlen(s);

	mp_memmove(g->at, s, n);
	g->at += n;
	if (newline)
		*g->at++ = '\n';
}

static void gather_end(struct gather *g)
{
	*g->at++ = '\0';
}

/* A string mp_escape() wrote ("\\xNN" for a byte), back; older runs wrote it raw. Return: whether it fits. */
static bool unescape(char *dst, size_t size, const char *src)
{
	size_t o = 0;

	for (; *src; o++) {
		int hi = src[0] == '\\' && src[1] == 'x' ? mp_hexval(src[2]) : -1;
		int lo = hi >= 0 ? mp_hexval(src[3]) : -1;

		if (o + 1 >= size)
			return false;
		if (lo >= 0) {
			dst[o] = (char)(hi << 4 | lo);
			src += 4;
		} else {
			dst[o] = *src++;
		}
	}
	dst[o] = '\0';
	return true;
}

/* The lines every firmware.txt has, before its options. */
static const char *const identity_keys[] = { "vendor", "revision", "uefi", "secure_boot", "rsdp20", "rsdp10" };

/**
 * run_facts_read() - the inputs a firmware.txt holds, into fw
 * @text: the file's text, NUL-terminated; the strings fw gets point into it
 * @fw: the inputs; call after the ACPI access is set up (rsdp20/10 replace
 *      what a dump alone would give)
 * @err: why not
 *
 * Return: whether every line was understood.
 */
bool run_facts_read(char *text, struct fw_inputs *fw, struct runfile_error *err)
{
	/* Every value is shorter than its line, so gathering never overtakes reading. */
	struct gather g = { text };
	char *notes = NULL, *config = NULL;
	unsigned nr = 0, seen = 0;
	bool cmdline = false;
	const char *v;
	uint64_t n;

	for (char *line; (line = next_line(&text));) {
		nr++;
		if (line[0] == '|' && (line[1] == ' ' || !line[1]) && config) {
			gather_add(&g, line + 1 + !!line[1], true);
			continue;
		}
		if (config) {
			gather_end(&g);
			config = NULL;
		}
		if (!line[0] || line[0] == '#')
			continue;
		if (!split_key(line, &v))
			return fail(err, "line %u is not 'key: value' ('%.40s')", nr, line);
		if (!mp_strcmp(line, "note")) {
			if (!notes)
				notes = gather_start(&g);
			gather_add(&g, v, true);
			continue;
		}
		if (notes)
			return fail(err, "line %u: the notes must come last", nr);
		for (unsigned i = 0; i < sizeof(identity_keys) / sizeof(identity_keys[0]); i++)
			seen |= !mp_strcmp(line, identity_keys[i]) ? 1u << i : 0;
		if (!mp_strcmp(line, "vendor")) {
			if (!unescape(fw->fw_vendor, sizeof(fw->fw_vendor), v))
				return fail(err, "line %u: a vendor longer than %zu bytes", nr, sizeof(fw->fw_vendor) - 1);
		} else if (!mp_strcmp(line, "revision") && read_number(v, UINT32_MAX, &n)) {
			fw->fw_revision = (uint32_t)n;
		} else if (!mp_strcmp(line, "uefi") && read_number(v, UINT32_MAX, &n)) {
			fw->uefi_revision = (uint32_t)n;
		} else if (!mp_strcmp(line, "rsdp20") && read_number(v, UINT64_MAX, &n)) {
			if (n) {
				fw->acpi.rsdp20 = n;
				fw->acpi.listed = NULL;
			}
		} else if (!mp_strcmp(line, "rsdp10") && read_number(v, UINT64_MAX, &n)) {
			if (n) {
				fw->acpi.rsdp10 = n;
				fw->acpi.listed = NULL;
			}
		} else if (!mp_strcmp(line, "efi_table")) {
			if (!read_config_table(v, &fw->efi))
				return fail(err, "line %u: not 'efi_table: GUID 0xADDRESS' (or more than %u): '%.40s'",
					    nr, EFI_CONFIG_TABLES_MAX, v);
		} else if (!mp_strcmp(line, "pci_roms") && (!mp_strcmp(v, "known") || !mp_strcmp(v, "unknown"))) {
			fw->efi.roms_known = !mp_strcmp(v, "known");
		} else if (!mp_strcmp(line, "pci_rom")) {
			if (!read_pci_rom(v, &fw->efi))
				return fail(err, "line %u: not 'pci_rom: SSSS:BB:DD.F VVVV:DDDD SIZE' (or more than %u): "
						 "'%.40s'",
					    nr, EFI_PCI_ROMS_MAX, v);
		} else if (!mp_strcmp(line, "secure_boot")) {
			unsigned s = 0;

			while (s < SECURE_BOOT_STATES && mp_strcmp(v, secure_boot_word((enum secure_boot)s)))
				s++;
			if (s == SECURE_BOOT_STATES)
				return fail(err, "line %u: unknown Secure Boot state '%.20s'", nr, v);
			fw->secure_boot = (enum secure_boot)s;
		} else if (!mp_strcmp(line, "config") && fw->nr_option_files < OPTION_SOURCES_MAX - 2) {
			struct option_source *src = &fw->option_files[fw->nr_option_files++];

			src->name = gather_start(&g);
			gather_add(&g, v, false);
			gather_end(&g);
			config = gather_start(&g);
			src->text = config;
		} else if (!mp_strcmp(line, "cmdline") && !cmdline) {
			cmdline = true;
			fw->cmdline = gather_start(&g);
			gather_add(&g, v, false);
			gather_end(&g);
		} else {
			return fail(err, "line %u: '%.20s' with '%.40s' is not a fact memprobe writes", nr, line, v);
		}
	}
	if (config || notes)
		gather_end(&g);
	fw->notes = notes;
	if (!cmdline)
		return fail(err, "no 'cmdline:' line");
	for (unsigned i = 0; i < sizeof(identity_keys) / sizeof(identity_keys[0]); i++)
		if (!(seen & (1u << i)))
			return fail(err, "no '%s:' line (the file is cut short or damaged)", identity_keys[i]);
	return true;
}
