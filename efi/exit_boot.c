// SPDX-License-Identifier: MIT
/*
 * The exit_boot_services option, as a sequence: prepare the screen and the
 * buffers, leave boot services (with the specification's retry), build the
 * direct map of init_mem_mapping()'s plan and an identity map as real page
 * tables in RAM the final memory map says is free, load them, check them,
 * and prove nothing the firmware keeps was overwritten.  Everything is
 * allocated before ExitBootServices; after it the outputs are COM1, the
 * GOP framebuffer and the variable the next run prints (after_exit.h's
 * pieces).
 */
#include "after_exit.h"

#include "memprobe/lib/util.h"
#include "memprobe/x86/paging.h"
#include "memprobe/x86/pgtable_build.h"

#define OUT_MAX 2048
#define MAP_SLACK_DESCS 64
#define FOUR_GIB (1ULL << 32)
#define ONE_MIB (1ULL << 20)
#define PATTERN 0x6d656d70726f6265ULL	/* "memprobe" */

struct exit_state {
	UINTN map_size, map_capacity, map_key, desc_size;
	UINT32 desc_version;
	uint8_t *map;
	struct gop_screen gop;
	struct fbcon screen;
	bool screen_on;
	struct hashed_regions hashed;
	struct paging_switch paging;
	struct memblock pool;		/* the final map's free RAM */
	struct pt_builder builder;
	bool serial;
	EFI_STATUS stale_key_status;	/* ebs_stale_keys='s AllocatePages, said once boot services are gone */
	char out[OUT_MAX];
	size_t out_len;
};

/* After ExitBootServices: keep the line for the variable, and send it to COM1 and the screen. */
static void out_write(void *ctx, const char *text, size_t len)
{
	struct exit_state *st = ctx;
	size_t room = OUT_MAX - 1 - st->out_len;

	mp_memcpy(st->out + st->out_len, text, len < room ? len : room);
	st->out_len += len < room ? len : room;
	st->out[st->out_len] = '\0';
	if (st->serial)
		com1_write(text, len);
	if (st->screen_on)
		fbcon_write(&st->screen, text, len);
}

static uint64_t *identity_page(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)(uintptr_t)pa;
}

static void *no_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	return NULL;
}

static void no_free(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)p;
	(void)bytes;
}

static EFI_MEMORY_DESCRIPTOR *desc_at(const struct exit_state *st, UINTN i)
{
	return (EFI_MEMORY_DESCRIPTOR *)(st->map + i * st->desc_size);
}

static UINTN nr_descs(const struct exit_state *st)
{
	return st->desc_size ? st->map_size / st->desc_size : 0;
}

/*
 * GetMemoryMap into the buffer allocated beforehand, then ExitBootServices
 * with its key; a stale key (EFI_INVALID_PARAMETER) gets one more
 * GetMemoryMap and try, as the specification requires.  Nothing may
 * allocate or print between the two calls, except the page ebs_stale_keys=
 * allocates there to make the key stale on purpose.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct exit_state *st, unsigned stale_keys,
				     int *attempts, const char **call)
{
	EFI_STATUS s = EFI_SUCCESS;

	for (*attempts = 1; *attempts <= 2; (*attempts)++) {
		st->map_size = st->map_capacity;
		*call = "GetMemoryMap";
		s = uefi_call_wrapper(BS->GetMemoryMap, 5, &st->map_size, (EFI_MEMORY_DESCRIPTOR *)st->map,
				      &st->map_key, &st->desc_size, &st->desc_version);
		if (EFI_ERROR(s))
			return s;
		*call = "ExitBootServices";
		hashed_choose(&st->hashed, st->map, st->map_size, st->desc_size);
		hashed_measure(&st->hashed, HASH_BEFORE_EXIT);
		if ((unsigned)*attempts <= stale_keys) {
			EFI_PHYSICAL_ADDRESS page = 0;

			st->stale_key_status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
								 EfiLoaderData, 1, &page);
		}
		s = uefi_call_wrapper(BS->ExitBootServices, 2, image, st->map_key);
		if (s != EFI_INVALID_PARAMETER)
			return s;
	}
	return s;
}

/* The final map's conventional memory above 1 MiB: where table pages may come from. */
static void fill_pool(struct exit_state *st, struct mp_log *log)
{
	static const struct memblock_storage none = { no_alloc, no_free, NULL };

	memblock_init(&st->pool, log, &none);
	for (UINTN i = 0; i < nr_descs(st); i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(st, i);
		uint64_t base = d->PhysicalStart, end = base + (d->NumberOfPages << PAGE_SHIFT);

		if (d->Type != EfiConventionalMemory || end <= ONE_MIB)
			continue;
		if (base < ONE_MIB)
			base = ONE_MIB;
		memblock_add(&st->pool, base, end - base);
	}
}

/* Identity: the low 4 GiB whole (code, stack, firmware, devices), every range above it. */
static void map_identity(struct exit_state *st, unsigned mask)
{
	struct pt_builder *b = &st->builder;

	pt_map_range(b, 0, 0, FOUR_GIB, mask, false);
	for (UINTN i = 0; i < nr_descs(st); i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(st, i);
		uint64_t base = d->PhysicalStart, end = base + (d->NumberOfPages << PAGE_SHIFT);

		if (end > FOUR_GIB)
			pt_map_range(b, base > FOUR_GIB ? base : FOUR_GIB, base > FOUR_GIB ? base : FOUR_GIB,
				     end - (base > FOUR_GIB ? base : FOUR_GIB), mask, false);
	}
	if (st->gop.fb_size && st->gop.fb_base + st->gop.fb_size > FOUR_GIB)
		pt_map_range(b, round_down(st->gop.fb_base, PAGE_SIZE), round_down(st->gop.fb_base, PAGE_SIZE),
			     round_up(st->gop.fb_base + st->gop.fb_size, PAGE_SIZE) -
				     round_down(st->gop.fb_base, PAGE_SIZE),
			     mask, false);
}

/*
 * With the new tables loaded: in every free RAM range the direct map
 * covers, the first and last page are written through one mapping and
 * read through the other, both ways, and restored.
 */
static void check_patterns(struct exit_state *st, uint64_t page_offset, struct pt_verify_result *v)
{
	uint64_t idx = 0, s, e, pa, size;

	for (memblock_next_free_range(&st->pool, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL);
	     idx != UINT64_MAX;
	     memblock_next_free_range(&st->pool, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)) {
		uint64_t pages[2] = { round_up(s, PAGE_SIZE), round_down(e, PAGE_SIZE) - PAGE_SIZE };

		if (pages[0] > pages[1])
			continue;
		for (unsigned i = 0; i < 2 && (i == 0 || pages[1] != pages[0]); i++) {
			volatile uint64_t *id = (volatile uint64_t *)(uintptr_t)pages[i];
			volatile uint64_t *dm = (volatile uint64_t *)(uintptr_t)(page_offset + pages[i]);
			uint64_t saved;

			if (!pt_walk(&st->builder, page_offset + pages[i], &pa, &size) || pa != pages[i])
				continue;	/* not RAM Linux maps (mem=, for one) */
			v->pages_checked++;
			saved = *id;
			*id = PATTERN ^ pages[i];
			if (*dm != (PATTERN ^ pages[i]))
				v->mismatches++;
			*dm = ~(PATTERN ^ pages[i]);
			if (*id != ~(PATTERN ^ pages[i]))
				v->mismatches++;
			*id = saved;
		}
	}
}

/* Build the direct map and the identity map, load them, and check every range through both. */
static void build_and_load(struct exit_state *st, const struct machine *m, struct mp_log *log)
{
	struct pt_builder *b = &st->builder;
	const struct phys_mem mem = { identity_page, NULL };
	unsigned levels = paging_levels_to_load(m, log), mask = PG_2M;
	bool switching = levels != paging_levels_now();
	uint64_t page_offset = paging_page_offset(levels);
	struct pt_verify_result v;

	if (m->paging.cpu.gbpages)
		mask |= PG_1G;
	fill_pool(st, log);
	/* a root loaded from 32-bit code must be below 4 GiB; the other tables go there too */
	if (pt_build_init(b, &mem, &st->pool, levels, mask, switching ? FOUR_GIB : MEMBLOCK_ALLOC_ANYWHERE, log) &&
	    pt_build_direct_map(b, &m->dm, page_offset))
		map_identity(st, mask);
	if (b->failed) {
		mp_printk(log, "memprobe: error: page tables not loaded\n");
		return;
	}
	v = pt_verify(b);
	mp_printk(log, "memprobe: page tables: %u levels, %llu bytes of tables, "
		       "DirectMap4k/2M/1G %llu kB %llu kB %llu kB\n",
		  levels, (unsigned long long)(b->table_pages << PAGE_SHIFT),
		  (unsigned long long)(b->leaf_bytes[DM_4K] >> 10), (unsigned long long)(b->leaf_bytes[DM_2M] >> 10),
		  (unsigned long long)(b->leaf_bytes[DM_1G] >> 10));
	if (!paging_load(&st->paging, b->root, levels, log))
		return;
	check_patterns(st, page_offset, &v);
	mp_printk(log, "memprobe: page tables verified: %llu ranges, %llu pages checked, %llu mismatches%s\n",
		  (unsigned long long)v.ranges, (unsigned long long)v.pages_checked,
		  (unsigned long long)v.mismatches,
		  b->mappings_dropped ? " (more ranges than memprobe keeps; the rest unchecked)" : "");
}

/* After ExitBootServices: build, load, verify, hash, keep the lines, reset. */
static void after_exit(struct exit_state *st, const struct machine *m, int attempts)
{
	struct mp_log log = { .write = out_write, .ctx = st };
	EFI_STATUS s;

	__asm__ volatile("cli");
	st->serial = com1_present();
	if (st->gop.width) {
		fbcon_init(&st->screen, (uint32_t *)(uintptr_t)st->gop.fb_base, st->gop.width, st->gop.height,
			   st->gop.stride, &st->gop.font);
		st->screen_on = true;
	}
	mp_printk(&log, "memprobe: after ExitBootServices (attempt %d): %u regions hashed, COM1 %s\n",
		  attempts, st->hashed.nr, st->serial ? "answers" : "absent");
	if (st->screen_on)
		mp_printk(&log, "memprobe: screen: %ux%u GOP framebuffer at %#llx, the firmware's %ux%u "
				"font, %u columns and %u rows\n",
			  st->gop.width, st->gop.height, (unsigned long long)st->gop.fb_base, st->gop.font.width,
			  st->gop.font.height, st->screen.cols, st->screen.rows);
	if (EFI_ERROR(st->stale_key_status))
		mp_printk(&log, "memprobe: note: ebs_stale_keys='s AllocatePages failed (%s); the map key "
				"may not have been stale\n",
			  efi_status_name(st->stale_key_status));
	hashed_measure(&st->hashed, HASH_AFTER_EXIT);
	build_and_load(st, m, &log);
	hashed_measure(&st->hashed, HASH_AFTER_BUILD);
	mp_printk(&log, "memprobe: integrity: %u regions hashed before and after, %u changed\n", st->hashed.nr,
		  hashed_changed(&st->hashed, HASH_AFTER_EXIT, HASH_AFTER_BUILD));
	if (hashed_changed(&st->hashed, HASH_BEFORE_EXIT, HASH_AFTER_EXIT))
		mp_printk(&log, "memprobe: note: %u of them changed during ExitBootServices itself (the "
				"firmware's own exit handlers)\n",
			  hashed_changed(&st->hashed, HASH_BEFORE_EXIT, HASH_AFTER_EXIT));
	if (!kept_lines_save(st->out, st->out_len, &s))
		mp_printk(&log, "memprobe: warning: saving these lines failed (%s); the next run cannot "
				"show them\n",
			  efi_status_name(s));
	if (m->opts.poweroff) {
		mp_printk(&log, "memprobe: powering off\n");
		uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
		mp_printk(&log, "memprobe: error: ResetSystem returned instead of powering off\n");
	}
	mp_printk(&log, "memprobe: resetting\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
	mp_printk(&log, "memprobe: error: ResetSystem returned; halting\n");
	for (;;)
		__asm__ volatile("hlt");
}

/**
 * efi_exit_and_map() - the exit_boot_services option, after the report is saved
 * @image: memprobe's image handle
 * @m: the analysed machine, whose direct-map plan is built
 * @log: where the lines before ExitBootServices go
 *
 * Return: only when ExitBootServices failed twice (boot services stay up)
 * or the state could not be allocated; otherwise the machine resets.
 */
void efi_exit_and_map(EFI_HANDLE image, const struct machine *m, struct mp_log *log)
{
	struct exit_state *st = efi_alloc_pool(sizeof(*st));
	EFI_STATUS s;
	const char *call = "";
	int attempts;

	if (!st) {
		mp_printk(log, "memprobe: error: cannot allocate %lu bytes to leave boot services; staying\n",
			  (unsigned long)sizeof(*st));
		return;
	}
	mp_memset(st, 0, sizeof(*st));
	gop_prepare(&st->gop, m->opts.fail & FAIL_GOP, log);
	st->map = efi_alloc_memmap_buffer(MAP_SLACK_DESCS, &st->map_capacity, log);
	if (!st->map) {
		mp_printk(log, "memprobe: error: no memory map buffer; staying in boot services\n");
		efi_free_pool(st, log);
		return;
	}
	mp_printk(log, "memprobe: leaving boot services: the next lines come on COM1 (if it answers) "
		       "and are kept for the next run\n");
	s = exit_boot_services(image, st, m->opts.ebs_stale_keys, &attempts, &call);
	if (EFI_ERROR(s)) {
		mp_printk(log, "memprobe: error: %s failed on attempt %d of 2 (%s); staying in boot "
			       "services\n",
			  call, attempts > 2 ? 2 : attempts, efi_status_name(s));
		efi_free_pool(st->map, log);
		efi_free_pool(st, log);
		return;
	}
	after_exit(st, m, attempts);
}
