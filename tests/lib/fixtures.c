// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include <stdlib.h>
#include <string.h>

static void capture_write(void *ctx, const char *text, size_t len)
{
	struct capture *c = ctx;

	if (c->len + len + 1 > c->cap) {
		c->cap = (c->len + len + 1) * 2;
		c->text = realloc(c->text, c->cap);
		if (!c->text)
			abort();
	}
	memcpy(c->text + c->len, text, len);
	c->len += len;
	c->text[c->len] = '\0';
}

void capture_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->log.write = capture_write;
	c->log.ctx = c;
	capture_write(c, "", 0);
}

void capture_reset(struct capture *c)
{
	c->len = 0;
	c->text[0] = '\0';
}

void capture_free(struct capture *c)
{
	free(c->text);
	c->text = NULL;
}

bool capture_has_line(const struct capture *c, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = c->text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == n && !memcmp(p, line, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

size_t capture_count_prefix(const struct capture *c, const char *prefix)
{
	size_t count = 0, n = strlen(prefix);

	for (const char *p = c->text; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, prefix, n))
			count++;
		p = nl ? nl + 1 : NULL;
	}
	return count;
}

char *capture_lines_with_prefix(const struct capture *c, const char *prefix)
{
	size_t n = strlen(prefix), len = 0;
	char *out = calloc(1, c->len + 1);

	for (const char *p = c->text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) + 1 : strlen(p);

		if (!strncmp(p, prefix, n)) {
			memcpy(out + len, p, l);
			len += l;
		}
		p = nl ? nl + 1 : NULL;
	}
	out[len] = '\0';
	return out;
}

void rawmap_init(struct rawmap *r, uint64_t desc_size)
{
	memset(r, 0, sizeof(*r));
	r->desc_size = desc_size;
	r->map.desc_size = desc_size;
	r->map.desc_version = 1;
}

void rawmap_add(struct rawmap *r, uint32_t type, uint64_t phys, uint64_t pages, uint64_t attr)
{
	uint8_t *d;

	if (r->nr == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->bytes = realloc(r->bytes, r->cap * r->desc_size);
		if (!r->bytes)
			abort();
	}
	d = r->bytes + r->nr * r->desc_size;
	memset(d, 0xa5, r->desc_size);
	efi_memmap_desc_store(d, &(struct efi_md){ .type = type, .phys_addr = phys, .num_pages = pages,
						   .attribute = attr });
	r->nr++;
	r->map.map = r->bytes;
	r->map.map_size = r->nr * r->desc_size;
}

void rawmap_free(struct rawmap *r)
{
	free(r->bytes);
	r->bytes = NULL;
}

struct machine *run_pipeline(const struct efi_memmap *map, const char *options, struct capture *c)
{
	return run_pipeline_cpu(map, options, NULL, c);
}

struct machine *run_pipeline_cpu(const struct efi_memmap *map, const char *options,
				 const struct cpu_facts *cpu, struct capture *c)
{
	return run_pipeline_cpus(map, options, cpu, NULL, c);
}

struct machine *run_pipeline_cpus(const struct efi_memmap *map, const char *options, const struct cpu_facts *cpu,
				  const struct cpu_records *cpus, struct capture *c)
{
	struct fw_inputs *fw = calloc(1, sizeof(*fw));
	struct machine *m = malloc(sizeof(*m));

	if (!fw || !m)
		abort();
	fw->frontend = "host test";
	strcpy(fw->fw_vendor, "EDK II");
	fw->fw_revision = 0x10000;
	fw->uefi_revision = (2 << 16) | 70;
	fw->memmap = *map;
	fw->efi.roms_known = true;	/* as memprobe.efi on a VM without option ROMs */
	fw->cmdline = options;
	if (cpu)
		fw->cpu = *cpu;
	if (cpus) {
		fw->cpus = *cpus;
		cpu_facts_from_record(&cpus->cpu[0], &fw->cpu);
	}
	machine_init(m, fw, NULL, &(const struct sinks){ &c->log, NULL }, &host_heap);
	memprobe_run(m);
	return m;
}

void free_pipeline(struct machine *m)
{
	machine_release(m);
	free((void *)m->fw);
	free(m);
}
