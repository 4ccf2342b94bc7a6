// SPDX-License-Identifier: MIT
/*
 * Option parsing shared by every front end.  Options arrive as text from
 * several sources (config files, the UEFI shell's arguments, the host tool's
 * arguments); words are separated by white space and '#' starts a comment
 * that runs to the end of the line.
 */
#include "memprobe/options.h"

#include "memprobe/lib/util.h"
#include "memprobe/version.h"

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
	o->kernel = linux_profile_default();
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
	if (!mp_strcmp(w, "no_pause")) {
		o->no_pause = true;
		return;
	}
	if (mp_starts_with(w, "efi=")) {
		parse_efi(o, w + 4, log);
		return;
	}
	if (mp_starts_with(w, "kernel=")) {
		const struct linux_profile *p = linux_profile_named(w + 7, mp_strlen(w + 7));

		if (p) {
			o->kernel = p;
			return;
		}
		mp_printk(log, "memprobe: error: kernel= takes");
		for (unsigned i = 0; (p = linux_profile_at(i)); i++)
			mp_printk(log, "%s %s", i ? "," : "", p->name);
		mp_printk(log, ", not '%s'; ignored\n", w + 7);
		o->nr_errors++;
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
	if (mp_starts_with(w, "ramdisk=")) {
		const char *end;
		uint64_t first = memparse(w + 8, &end), last = 0;

		if (*end == '-')
			last = memparse(end + 1, &end);
		if (*end || last < first) {
			mp_printk(log, "memprobe: error: ramdisk= takes FIRST-LAST, the initrd's bytes as "
				       "Linux's 'RAMDISK: [mem FIRST-LAST]' line shows them, not '%s'; ignored\n",
				  w + 8);
			o->nr_errors++;
			return;
		}
		o->ramdisk_first = first;
		o->ramdisk_last = last;
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

/* A word's key: up to its first '=' (or all of it); gbpages and nogbpages share one. */
static unsigned word_key(const char *w, unsigned n, const char **key)
{
	unsigned k = 0;

	*key = w;
	if ((n == 7 && !mp_memcmp(w, "gbpages", 7)) || (n == 9 && !mp_memcmp(w, "nogbpages", 9))) {
		*key = "gbpages";
		return 7;
	}
	while (k < n && w[k] != '=')
		k++;
	return k < n ? k + 1 : n;
}

/* Whether a word of a later (stronger) source has the key of w. */
static bool overridden(const struct option_source *later, unsigned nr_later, const char *w, unsigned n)
{
	const char *key, *other_key, *p, *o;
	unsigned len = word_key(w, n, &key), m;

	for (unsigned s = 0; s < nr_later; s++)
		for (p = later[s].text ? later[s].text : ""; (m = next_word(&p, &o));)
			if (word_key(o, m, &other_key) == len && !mp_memcmp(key, other_key, len))
				return true;
	return false;
}

/* A file's messages carry its name and the line: "memprobe: FILE:LINE: error: ...". */
struct located_log {
	struct mp_log *log;
	const char *file;
	unsigned line;
};

static void located_write(void *ctx, const char *text, size_t len)
{
	struct located_log *l = ctx;
	const size_t skip = mp_starts_with(text, "memprobe: ") ? 10 : 0;

	mp_printk(l->log, "memprobe: %s:%u: %.*s", l->file, l->line, (int)(len - skip), text + skip);
}

/* Whether a line is text: printable ASCII and tabs (a CR before its newline is fine). */
static bool is_text_line(const char *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && !(p[i] == '\r' && i + 1 == n)) || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

static void parse_words(struct options *o, const char *p, const char *end,
			const struct option_source *later, unsigned nr_later, struct mp_log *log)
{
	char line[WORD_MAX];
	const char *w;
	unsigned n;

	/* next_word stops at the NUL after a line's copy, so copy words out bounded by end. */
	while (p < end && (n = next_word(&p, &w))) {
		char word[WORD_MAX];

		if (w >= end)
			break;
		if (w + n > end)
			n = (unsigned)(end - w);
		if (overridden(later, nr_later, w, n))
			continue;
		if (n >= sizeof(word)) {
			mp_memcpy(line, w, sizeof(line) - 1);
			line[sizeof(line) - 1] = '\0';
			mp_printk(log, "memprobe: error: option '%.20s...' is longer than %u characters; "
				       "ignored\n",
				  line, WORD_MAX - 1);
			o->nr_errors++;
			continue;
		}
		mp_memcpy(word, w, n);
		word[n] = '\0';
		parse_word(o, word, log);
	}
}

/* One source: a command line at once, a file line by line so messages name the line. */
static void parse_source(struct options *o, const struct option_source *src,
			 const struct option_source *later, unsigned nr_later, struct mp_log *log)
{
	const char *p = src->text ? src->text : "";
	struct located_log where = { log, src->name, 0 };
	struct mp_log located = { located_write, &where };

	if (!src->name) {
		parse_words(o, p, p + mp_strlen(p), later, nr_later, log);
		return;
	}
	while (*p) {
		unsigned n = 0;

		while (p[n] && p[n] != '\n')
			n++;
		where.line++;
		if (!is_text_line(p, n)) {
			mp_printk(&located, "memprobe: error: the line is not text (a byte below 0x20 "
					    "or above 0x7e); ignored\n");
			o->nr_errors++;
		} else {
			parse_words(o, p, p + n, later, nr_later, &located);
		}
		p += n + (p[n] == '\n');
	}
}

/**
 * options_parse_sources() - parse options from several places
 * @o: the options, from options_init()
 * @src: the sources, weakest first (defaults < config files < command line)
 * @nr: how many
 *
 * A word in a later source overrides every word of an earlier source with
 * the same key (the text up to '=': "mem=2G" on the command line drops the
 * config file's "mem=" words).  Messages are kept for options_print_messages();
 * those about a file name the file and its line.
 */
void options_parse_sources(struct options *o, const struct option_source *src, unsigned nr)
{
	struct mp_log kept = { keep_message, o };

	for (unsigned i = 0; i < nr; i++)
		parse_source(o, &src[i], src + i + 1, nr - i - 1, &kept);
}

/* Parse one command line into o. */
void options_parse(struct options *o, const char *cmdline)
{
	const struct option_source src = { NULL, cmdline };

	options_parse_sources(o, &src, 1);
}

void options_print_messages(const struct options *o, struct mp_log *log)
{
	if (o->messages_len)
		log->write(log->ctx, o->messages, o->messages_len);
	if (o->messages_dropped)
		mp_printk(log, "memprobe: error: %u more messages about options not shown\n",
			  o->messages_dropped);
}

/* The options that are Linux kernel parameters, as a Linux command line spells them. */
static const char *const linux_words[] = {
	"efi=", "mem=", "memblock=", "numa=", "nokaslr", "no5lvl", "nogbpages", "gbpages", "acpi_apic_instance=",
};

/**
 * options_from_linux_cmdline() - the words of a Linux command line memprobe models
 * @buf: where they go, joined by spaces
 * @size: its size
 * @cmdline: a kernel command line (/proc/cmdline, a boot log's "Command line:")
 *
 * Everything else (root=, console=, quiet, ...) is no business of memprobe.
 *
 * Return: the number of words kept.
 */
unsigned options_from_linux_cmdline(char *buf, unsigned size, const char *cmdline)
{
	const char *p = cmdline ? cmdline : "", *w;
	unsigned len = 0, kept = 0, n;

	if (size)
		buf[0] = '\0';
	while ((n = next_word(&p, &w))) {
		bool known = false;

		for (unsigned i = 0; i < sizeof(linux_words) / sizeof(linux_words[0]); i++) {
			size_t k = mp_strlen(linux_words[i]);

			known |= linux_words[i][k - 1] == '=' ? n > k && !mp_memcmp(w, linux_words[i], k)
							  : n == k && !mp_memcmp(w, linux_words[i], k);
		}
		if (!known || len + n + 2 > size)
			continue;
		if (len)
			buf[len++] = ' ';
		mp_memcpy(buf + len, w, n);
		len += n;
		buf[len] = '\0';
		kept++;
	}
	return kept;
}

/* Every option: its syntax, what it does ('\n' continues the text), its default. */
static const struct {
	const char *usage, *text, *dflt;
} option_docs[] = {
	{ "efi=debug", "print the EFI memory map as Linux's efi=debug does", "off" },
	{ "efi=nosoftreserve", "treat EFI_MEMORY_SP memory as ordinary RAM, as Linux does", "off" },
	{ "mem=SIZE", "limit usable RAM to SIZE (K, M, G, T suffixes), as Linux does", "all RAM" },
	{ "memblock=debug", "print every memblock operation and the MEMBLOCK configuration", "off" },
	{ "numa=off", "no NUMA: one faked node, as Linux does", "NUMA on" },
	{ "numa=noacpi", "ignore the SRAT for NUMA, as Linux does", "the SRAT is used" },
	{ "numa=fake=N", "split memory into N emulated nodes (also <size>M/G, NU), as Linux", "none" },
	{ "kernel_addr=ADDR", "where Linux's kernel image is assumed; it decides where Linux\n"
			      "takes its first page-table pages",
	  "where the EFI stub puts it without KASLR (16M or the next free 2M)" },
	{ "ramdisk=FIRST-LAST", "an initrd at these bytes (Linux's 'RAMDISK: [mem FIRST-LAST]'),\n"
				"reserved as early_reserve_initrd does", "none" },
	{ "nokaslr", "Linux booted with nokaslr: no memory KASLR page-table page", "KASLR on" },
	{ "no5lvl", "4-level paging on a CPU with LA57, as Linux does", "5 levels when the CPU has LA57" },
	{ "nogbpages", "no 1 GiB pages in the direct map, as Linux (gbpages undoes it)",
	  "1 GiB pages when the CPU has them" },
	{ "pgtable_debug", "print init_memory_mapping's ranges and page sizes (pr_debug\n"
			   "lines in Linux, which a stock kernel does not print)", "off" },
	{ "acpi_apic_instance=N", "the MADT Linux uses when there are several (0: the first)", "0" },
	{ "kernel=VERSION", "the Linux to predict: 6.1 (Debian 12's linux-image-amd64) or\n"
			    "6.12 (Debian 12's linux-image-6.12.*+deb12-amd64)", "6.1" },
	{ "node_data_size=N", "sizeof(pg_data_t) of another build of that kernel",
	  "Debian's (174208 for 6.1, 174464 for 6.12)" },
	{ "exit_boot_services", "after the report, leave boot services, build the direct map\n"
				"and identity map as real page tables, load them (CR3),\n"
				"verify them, check nothing was overwritten, report on COM1\n"
				"and keep the lines for the next run; then reset the machine", "off" },
	{ "ebs_stale_keys=N", "(tests) make the map key stale on the first N of the two\n"
			      "ExitBootServices attempts, to exercise the retry", "0" },
	{ "no_pause", "on a screen, do not stop after each page, nor at the end to\n"
		      "ask whether to power off, reboot or return", "pause when a keyboard is there" },
	{ "poweroff", "power the machine off when the report is complete (no pauses)",
	  "off: ask at the end" },
};

/* One documented option, its text indented under a prefix. */
static void print_doc(struct mp_log *log, const char *prefix, unsigned i, bool with_default)
{
	const char *t = option_docs[i].text;
	bool first = true;

	while (*t) {
		int n = 0;

		while (t[n] && t[n] != '\n')
			n++;
		mp_printk(log, "%s  %-18s %.*s\n", prefix, first ? option_docs[i].usage : "", n, t);
		first = false;
		t += n + (t[n] == '\n');
	}
	if (with_default)
		mp_printk(log, "%s  %-18s default: %s\n", prefix, "", option_docs[i].dflt);
}

void options_print_help(struct mp_log *log)
{
	mp_printk(log, "usage: memprobe.efi [OPTION]...\n"
		       "Shows how Linux 6.1 (or 6.12: kernel=6.12) would set up this machine's physical memory.\n"
		       "Options are also read from \\memprobe\\memprobe.conf (and the older \\memprobe.cfg)\n"
		       "on the boot volume; the command line's override theirs.\n\n");
	for (unsigned i = 0; i < sizeof(option_docs) / sizeof(option_docs[0]); i++)
		print_doc(log, "", i, false);
	mp_printk(log, "  %-18s show this help and exit\n\n"
		       "Each run saves its report, the raw memory map, the ACPI tables and the CPU\n"
		       "facts in \\memprobe\\runs\\NNNN on the boot volume; earlier runs are never\n"
		       "overwritten.\n",
		  "--help, -h");
}

/**
 * options_print_config() - a config file that lists every option, commented
 * @log: where the text goes
 *
 * This is \memprobe\memprobe.conf on the USB stick image: every option
 * with its default, none set.
 */
void options_print_config(struct mp_log *log)
{
	mp_printk(log, "# memprobe.conf: options of memprobe.efi %s, read at every start.\n"
		       "# Write options on any line, several to a line if you like; '#' starts a comment.\n"
		       "# Options given on a UEFI shell's command line override the same ones here.\n"
		       "# An unknown or malformed option is named in the report with this file's line.\n"
		       "#\n"
		       "# Every option, with its default (none is set below):\n"
		       "#\n",
		  MEMPROBE_VERSION);
	for (unsigned i = 0; i < sizeof(option_docs) / sizeof(option_docs[0]); i++) {
		print_doc(log, "#", i, true);
		mp_printk(log, "#\n");
	}
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

/**
 * options_words() - the words that count, joined by single spaces
 * @buf: where to put them
 * @size: its size
 * @src: the sources, weakest first, as options_parse_sources() takes them
 * @nr: how many
 *
 * Comments, unreadable lines and overridden words are left out: this is
 * the report's "options:" line.
 *
 * Return: the number of words.
 */
unsigned options_words(char *buf, unsigned size, const struct option_source *src, unsigned nr)
{
	unsigned len = 0, words = 0, n;

	for (unsigned s = 0; s < nr; s++) {
		const char *p = src[s].text ? src[s].text : "", *w;

		while (*p) {
			const char *end = p + mp_strlen(p);

			if (src[s].name) {	/* a file: line by line, unreadable lines left out */
				for (end = p; *end && *end != '\n'; end++)
					;
				if (!is_text_line(p, (unsigned)(end - p))) {
					p = end + (*end == '\n');
					continue;
				}
			}
			while (p < end && (n = next_word(&p, &w)) && w < end) {
				if (n >= WORD_MAX || overridden(src + s + 1, nr - s - 1, w, n))
					continue;
				if (words++ && len + 1 < size)
					buf[len++] = ' ';
				for (unsigned i = 0; i < n && len + 1 < size; i++)
					buf[len++] = w[i];
			}
			p = end + (*end == '\n');
		}
	}
	if (size)
		buf[len] = '\0';
	return words;
}
