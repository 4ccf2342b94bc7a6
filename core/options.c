// SPDX-License-Identifier: MIT
/*
 * Option parsing shared by every front end.  Options arrive as one string
 * (UEFI shell arguments, a config file, host arguments); words are separated
 * by white space and '#' starts a comment that runs to the end of the line.
 */
#include "memprobe/options.h"

#include "memprobe/util.h"

/* No kernel memprobe models has a pg_data_t near this; larger is a typo. */
#define MAX_PGDAT_SIZE (16u << 20)
#define WORD_MAX 128

/* Linux kernel parameters memprobe knows of but does not model yet. */
static const char *const planned_words[] = {
	"memmap=", "add_efi_memmap", "movable_node", "kernelcore=",
};

void options_init(struct options *o)
{
	mp_memset(o, 0, sizeof(*o));
	o->soft_reserve = true;	/* Debian's kernel: CONFIG_EFI_SOFT_RESERVE=y */
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A digit's value in any base up to 16; 99 for a non-digit (never below a base). */
static int digit_value(char c)
{
	int v = mp_hexval(c);

	return v < 0 ? 99 : v;
}

/* Linux's simple_strtoull(s, &end, 0): "0x" hex, a leading 0 octal, else decimal. */
uint64_t simple_strtoull(const char *s, const char **end)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0') {
		if ((s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	while (digit_value(*s) < (int)base)
		v = v * base + (uint64_t)digit_value(*s++);
	if (end)
		*end = s;
	return v;
}

/* Linux's memparse(): a number with an optional K/M/G/T/P/E suffix. */
uint64_t memparse(const char *s, const char **end)
{
	const char *p;
	uint64_t v = simple_strtoull(s, &p);
	int shift = 0;

	switch (*p) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; p++; break;
	default: break;
	}
	if (end)
		*end = p;
	return v << shift;
}

static void parse_efi(struct options *o, const char *value, struct mp_log *log)
{
	char item[WORD_MAX];

	while (*value) {
		unsigned n = 0;

		while (*value && *value != ',') {
			if (n + 1 < sizeof(item))
				item[n++] = *value;
			value++;
		}
		item[n] = '\0';
		if (*value == ',')
			value++;
		if (!mp_strcmp(item, "debug"))
			o->efi_debug = true;
		else if (!mp_strcmp(item, "nosoftreserve"))
			o->soft_reserve = false;
		else if (n)
			mp_printk(log, "memprobe: warning: efi=%s is not modelled by memprobe; ignored\n",
				  item);
	}
}

static void parse_word(struct options *o, const char *w, struct mp_log *log)
{
	if (!mp_strcmp(w, "--help") || !mp_strcmp(w, "-h") || !mp_strcmp(w, "help")) {
		o->help = true;
		return;
	}
	if (!mp_strcmp(w, "poweroff")) {
		o->poweroff = true;
		return;
	}
	if (mp_starts_with(w, "efi=")) {
		parse_efi(o, w + 4, log);
		return;
	}
	if (mp_starts_with(w, "node_data_size=")) {
		const char *end;

		o->pgdat_size = memparse(w + 15, &end);
		if (*end || !o->pgdat_size || o->pgdat_size > MAX_PGDAT_SIZE) {
			mp_printk(log, "memprobe: error: node_data_size= needs a size from 1 to %u bytes, "
				       "not '%s'; ignored\n",
				  MAX_PGDAT_SIZE, w + 15);
			o->pgdat_size = 0;
			o->nr_errors++;
		}
		return;
	}
	if (mp_starts_with(w, "kernel_addr=")) {
		const char *end;

		o->kernel_addr = memparse(w + 12, &end);
		if (*end || o->kernel_addr % (2ULL << 20)) {
			mp_printk(log, "memprobe: error: kernel_addr= needs a 2 MiB-aligned address, not "
				       "'%s'; ignored\n",
				  w + 12);
			o->kernel_addr = 0;
			o->nr_errors++;
		}
		return;
	}
	if (mp_starts_with(w, "acpi_apic_instance=")) {
		const char *v = w + 19, *end;
		bool negative = *v == '-';
		uint64_t n = simple_strtoull(v + negative, &end);

		/* Linux's kstrtoint(str, 0, ...): a whole int, nothing after it. */
		o->apic_instance_given = true;
		o->apic_instance_malformed = end == v + negative || *end || n > 0x7fffffff;
		o->apic_instance = o->apic_instance_malformed ? 0 : negative ? -(int)n : (int)n;
		return;
	}
	if (!mp_strcmp(w, "nokaslr")) {
		o->nokaslr = true;
		return;
	}
	if (!mp_strcmp(w, "no5lvl")) {
		o->no5lvl = true;
		return;
	}
	if (!mp_strcmp(w, "nogbpages") || !mp_strcmp(w, "gbpages")) {
		o->nogbpages = w[0] == 'n';	/* early_param_on_off(): the last one counts */
		return;
	}
	if (!mp_strcmp(w, "pgtable_debug")) {
		o->pgtable_debug = true;
		return;
	}
	if (!mp_strcmp(w, "exit_boot_services")) {
		o->exit_boot_services = true;
		return;
	}
	if (mp_starts_with(w, "ebs_stale_keys=")) {
		const char *end;
		uint64_t n = simple_strtoull(w + 15, &end);

		if (end == w + 15 || *end || n > 2) {
			mp_printk(log, "memprobe: error: ebs_stale_keys= takes 0, 1 or 2, not '%s'; "
				       "ignored\n",
				  w + 15);
			o->nr_errors++;
			return;
		}
		o->ebs_stale_keys = (unsigned)n;
		return;
	}
	if (mp_starts_with(w, "numa=fake=")) {
		const char *end;

		/* Linux's forms: N, <size>[MG], NU; a ":distances" list is not modelled. */
		memparse(w + 10, &end);
		if (end == w + 10 || (*end && *end != 'U' && *end != 'u') || mp_strlen(w + 10) >= sizeof(o->numa_fake)) {
			mp_printk(log, "memprobe: error: numa=fake= takes N, <size>M/G or NU, not '%s'; "
				       "ignored\n",
				  w + 10);
			o->nr_errors++;
		} else {
			mp_memcpy(o->numa_fake, w + 10, mp_strlen(w + 10) + 1);
		}
		return;
	}
	if (!mp_strcmp(w, "numa=off")) {
		o->numa_off = true;
		return;
	}
	if (!mp_strcmp(w, "numa=noacpi")) {
		o->numa_noacpi = true;
		return;
	}
	if (mp_starts_with(w, "memblock=")) {
		/* Linux: any value containing "debug" turns it on. */
		for (const char *p = w + 9; *p; p++)
			if (mp_starts_with(p, "debug"))
				o->memblock_debug = true;
		return;
	}
	if (mp_starts_with(w, "mem=")) {
		struct mem_option *m;

		if (o->nr_mem == OPTIONS_MAX_MEM) {
			mp_printk(log, "memprobe: error: more than %d mem= options; '%s' ignored\n",
				  OPTIONS_MAX_MEM, w);
			o->nr_errors++;
			return;
		}
		m = &o->mem[o->nr_mem++];
		m->nopentium = !mp_strcmp(w + 4, "nopentium");
		m->size = m->nopentium ? 0 : memparse(w + 4, NULL);
		return;
	}
	for (unsigned i = 0; i < sizeof(planned_words) / sizeof(planned_words[0]); i++) {
		const char *p = planned_words[i];
		size_t n = mp_strlen(p);

		if (p[n - 1] == '=' ? mp_starts_with(w, p) : !mp_strcmp(w, p)) {
			mp_printk(log, "memprobe: warning: '%s' is not implemented yet; ignored\n", w);
			return;
		}
	}
	mp_printk(log, "memprobe: error: unknown option '%s' ignored (see --help)\n", w);
	o->nr_errors++;
}

/*
 * Find the next word of a command line, skipping white space and '#'
 * comments.  Returns its length (0 at the end) and sets *word to its start.
 */
static unsigned next_word(const char **p, const char **word)
{
	unsigned n = 0;

	for (;;) {
		while (is_space(**p))
			(*p)++;
		if (**p != '#')
			break;
		while (**p && **p != '\n')
			(*p)++;
	}
	*word = *p;
	while ((*p)[n] && !is_space((*p)[n]))
		n++;
	*p += n;
	return n;
}

/* Parsing's messages are kept, bounded, until the report prints them. */
static void keep_message(void *ctx, const char *text, size_t len)
{
	struct options *o = ctx;
	unsigned room = sizeof(o->messages) - 1 - o->messages_len;

	if (len > room) {
		o->messages_dropped++;
		return;
	}
	mp_memcpy(o->messages + o->messages_len, text, len);
	o->messages_len += (unsigned)len;
	o->messages[o->messages_len] = '\0';
}

/* Parse a command line into o; messages are kept for options_print_messages(). */
void options_parse(struct options *o, const char *cmdline)
{
	struct mp_log kept = { keep_message, o };
	struct mp_log *log = &kept;
	const char *p = cmdline ? cmdline : "", *w;
	unsigned n;

	while ((n = next_word(&p, &w))) {
		char word[WORD_MAX];

		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		mp_memcpy(word, w, n);
		word[n] = '\0';
		parse_word(o, word, log);
	}
}

void options_print_messages(const struct options *o, struct mp_log *log)
{
	if (o->messages_len)
		log->write(log->ctx, o->messages, o->messages_len);
	if (o->messages_dropped)
		mp_printk(log, "memprobe: error: %u more messages about options not shown\n",
			  o->messages_dropped);
}

void options_print_help(struct mp_log *log)
{
	static const char *const lines[] = {
		"usage: memprobe.efi [OPTION]...",
		"Shows how Linux 6.1 would set up this machine's physical memory.",
		"Options are also read from \\memprobe.cfg on the boot volume ('#' starts a comment).",
		"",
		"  efi=debug          print the EFI memory map as Linux's efi=debug does",
		"  efi=nosoftreserve  treat EFI_MEMORY_SP memory as ordinary RAM, as Linux does",
		"  mem=SIZE           limit usable RAM to SIZE (K, M, G, T suffixes), as Linux does",
		"  memblock=debug     print every memblock operation and the MEMBLOCK configuration",
		"  numa=off           no NUMA: one faked node, as Linux does",
		"  numa=noacpi        ignore the SRAT for NUMA, as Linux does",
		"  numa=fake=N        split memory into N emulated nodes (also <size>M/G, NU), as Linux",
		"  kernel_addr=ADDR   where Linux's kernel image is assumed (default 16M, where the",
		"                     EFI stub puts it without KASLR); it decides where Linux",
		"                     takes its first page-table pages",
		"  nokaslr            Linux booted with nokaslr: no memory KASLR page-table page",
		"  no5lvl             4-level paging on a CPU with LA57, as Linux does",
		"  nogbpages          no 1 GiB pages in the direct map, as Linux (gbpages undoes it)",
		"  pgtable_debug      print init_memory_mapping's ranges and page sizes (pr_debug",
		"                     lines in Linux, which a stock kernel does not print)",
		"  acpi_apic_instance=N  the MADT Linux uses when there are several (0: the first)",
		"  node_data_size=N   sizeof(pg_data_t) of another kernel (default 174208, Debian 6.1)",
		"  exit_boot_services after the report, leave boot services, build the direct map",
		"                     and identity map as real page tables, load them (CR3),",
		"                     verify them, check nothing was overwritten, report on COM1",
		"                     and keep the lines for the next run; then reset the machine",
		"  ebs_stale_keys=N   (tests) make the map key stale on the first N of the two",
		"                     ExitBootServices attempts, to exercise the retry",
		"  poweroff           power the machine off when the report is complete",
		"  --help, -h         show this help and exit",
		"",
		"The report is printed on the console and saved as \\memprobe\\report-NNNN.txt",
		"on the boot volume; earlier reports are never overwritten.",
	};

	for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		mp_printk(log, "%s\n", lines[i]);
}

/*
 * A UEFI shell passes the program's own name as the first word
 * ("fs0:\\EFI\\BOOT\\BOOTX64.EFI", "memprobe.efi").  Returns where the options
 * start: after that word when it looks like a program's name or path, and
 * args itself when the first word is an option ("efi=debug", "poweroff").
 */
const char *options_skip_program_name(const char *args)
{
	const char *p = args, *word;
	bool looks_like_path = false, has_value = false;

	while (is_space(*p))
		p++;
	word = p;
	while (*p && !is_space(*p)) {
		if (*p == '\\' || *p == ':' || *p == '.')
			looks_like_path = true;
		has_value |= *p == '=';
		p++;
	}
	if (has_value)
		return args;
	if (looks_like_path || mp_starts_with(word, "memprobe") || mp_starts_with(word, "MEMPROBE"))
		return p;
	return args;
}

/*
 * The option words of cmdline joined by single spaces, comments dropped,
 * for the report's "options:" line.  Returns the number of words.
 */
unsigned options_words(char *buf, unsigned size, const char *cmdline)
{
	const char *p = cmdline ? cmdline : "", *w;
	unsigned len = 0, words = 0, n;

	while ((n = next_word(&p, &w))) {
		if (words++ && len + 1 < size)
			buf[len++] = ' ';
		for (unsigned i = 0; i < n && len + 1 < size; i++)
			buf[len++] = w[i];
	}
	if (size)
		buf[len] = '\0';
	return words;
}
