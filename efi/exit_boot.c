// SPDX-License-Identifier: MIT
/*
 * The exit_boot_services option: leave boot services, build the direct map
 * of init_mem_mapping()'s plan and an identity map as real page tables in
 * RAM the final memory map says is free, load them, check them, and prove
 * nothing the firmware keeps was overwritten.  Everything is allocated
 * before ExitBootServices; after it the outputs are COM1 (if one answers),
 * the GOP framebuffer (with the firmware's font, read beforehand) and a
 * non-volatile variable the next run prints.
 */
#include "efi-frontend.h"

#include "memprobe/lib/fbcon.h"
#include "memprobe/lib/util.h"
#include "memprobe/x86/pgtable_build.h"

#define MAX_HASHED 512
#define OUT_MAX 2048
#define MAP_SLACK_DESCS 64
#define COM1 0x3f8
#define CR4_LA57 (1ULL << 12)
#define CR4_PCIDE (1ULL << 17)
#define MAX_GDT_ENTRIES 64
#define GDT_CODE32 0x00cf9a000000ffffULL	/* flat 4 GiB, 32-bit, execute/read */
#define GDT_DATA 0x00cf92000000ffffULL		/* flat 4 GiB, 32-bit stack, read/write */
#define FOUR_GIB (1ULL << 32)
#define ONE_MIB (1ULL << 20)
#define PATTERN 0x6d656d70726f6265ULL	/* "memprobe" */

/* Where the lines after ExitBootServices are kept for the next run. */
static EFI_GUID memprobe_vendor_guid = { 0x8be4df61, 0x93ca, 0x4fd3,
					 { 0x9a, 0x3b, 0x6d, 0x65, 0x6d, 0x70, 0x72, 0x62 } };
#define AFTER_EXIT_VARIABLE L"MemprobeAfterExit"

/* The UEFI HII font protocol, which gnu-efi does not declare: only GetGlyph is used. */
static EFI_GUID hii_font_guid = { 0xe9ca4775, 0x8657, 0x47fc,
				  { 0x97, 0xe7, 0x7e, 0xd6, 0x5a, 0x08, 0x43, 0x24 } };

struct hii_image_output {
	UINT16 width, height;
	EFI_GRAPHICS_OUTPUT_BLT_PIXEL *bitmap;
};

struct hii_font_protocol {
	void *string_to_image, *string_id_to_image;
	EFI_STATUS (EFIAPI *get_glyph)(struct hii_font_protocol *self, CHAR16 ch, void *info,
				       struct hii_image_output **blt, UINTN *baseline);
	void *get_font_info;
};

/* The start and end of memprobe's code, from the gnu-efi linker script. */
extern char _text[], _etext[];

struct hashed_region {
	uint64_t base, size;
	uint64_t before_exit, after_exit, after_build;
};

struct gdt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct exit_state {
	uint64_t gdt[MAX_GDT_ENTRIES];	/* the firmware's, plus a 32-bit code and a data segment */
	UINTN map_size, map_capacity, map_key, desc_size;
	UINT32 desc_version;
	uint8_t *map;
	uint64_t fb_base, fb_size;	/* the GOP framebuffer, if any */
	unsigned fb_width, fb_height, fb_stride;	/* pixels; 0: no 32-bit linear framebuffer */
	struct mp_font font;		/* the firmware's, read before ExitBootServices */
	struct fbcon screen;
	bool screen_on;
	unsigned nr_hashed;
	struct hashed_region hashed[MAX_HASHED];
	struct memblock pool;		/* the final map's free RAM */
	struct pt_builder builder;
	bool serial;
	char out[OUT_MAX];
	size_t out_len;
};

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/*
 * memprobe_switch_paging(root, code32, code64, la57): load root with CR4.LA57
 * set to la57 (0 or CR4_LA57).  The bit can change only with paging off,
 * so this goes through 32-bit compatibility mode: its code, the stack and
 * root must be below 4 GiB and identity-mapped in the old and new tables.
 * Registers the 32-bit part cannot reach are saved around it.
 */
void memprobe_switch_paging(uint64_t root, uint64_t code32, uint64_t code64, uint64_t la57);
__asm__(".text\n"
	".globl memprobe_switch_paging\n"
	"memprobe_switch_paging:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	lea 1f(%rip), %rax\n"
	"	push %rsi\n"
	"	push %rax\n"
	"	lretq\n"
	".code32\n"
	"1:	mov %cr0, %eax\n"
	"	and $0x7fffffff, %eax\n"
	"	mov %eax, %cr0\n"		/* paging off: long mode inactive */
	"	mov %cr4, %eax\n"
	"	and $0xffffefff, %eax\n"
	"	or %ecx, %eax\n"
	"	mov %eax, %cr4\n"
	"	mov %edi, %cr3\n"
	"	mov %cr0, %eax\n"
	"	or $0x80000000, %eax\n"
	"	mov %eax, %cr0\n"		/* paging on: long mode again */
	"	call 2f\n"
	"2:	pop %eax\n"
	"	add $(3f - 2b), %eax\n"
	"	push %edx\n"
	"	push %eax\n"
	"	lret\n"
	".code64\n"
	"3:	mov %esp, %esp\n"		/* the stack is below 4 GiB: clear what compatibility mode left */
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n");

/*
 * The firmware's GDT copied with a 32-bit code segment and a flat data
 * segment added, loaded, and the data segment in SS, DS and ES (a 64-bit
 * SS may be null; compatibility mode needs a real one).
 * Return: the 32-bit code selector, 0 when the firmware's GDT is too big.
 */
static uint16_t load_gdt_with_code32(struct exit_state *st)
{
	struct gdt_pointer old, new;
	unsigned n;
	uint16_t data;

	__asm__ volatile("sgdt %0" : "=m"(old));
	n = (old.limit + 1u) / 8;
	if (n + 2 > MAX_GDT_ENTRIES)
		return 0;
	mp_memcpy(st->gdt, (const void *)(uintptr_t)old.base, n * 8);
	st->gdt[n] = GDT_CODE32;
	st->gdt[n + 1] = GDT_DATA;
	new.limit = (uint16_t)((n + 2) * 8 - 1);
	new.base = (uintptr_t)st->gdt;
	data = (uint16_t)((n + 1) * 8);
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ss\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es"
			 : : "m"(new), "r"(data) : "memory");
	return (uint16_t)(n * 8);
}

static inline uint16_t read_cs(void)
{
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* A 16550 answers when its scratch register keeps what is written to it. */
static bool serial_present(void)
{
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		return false;
	outb(COM1 + 7, 0xa5);
	return inb(COM1 + 7) == 0xa5;
}

static void serial_putc(char c)
{
	for (unsigned spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
		;
	outb(COM1, (uint8_t)c);
}

/* After ExitBootServices: keep the line for the variable and send it to COM1. */
static void out_write(void *ctx, const char *text, size_t len)
{
	struct exit_state *st = ctx;
	size_t room = OUT_MAX - 1 - st->out_len;

	mp_memcpy(st->out + st->out_len, text, len < room ? len : room);
	st->out_len += len < room ? len : room;
	st->out[st->out_len] = '\0';
	for (size_t i = 0; st->serial && i < len; i++) {
		if (text[i] == '\n')
			serial_putc('\r');
		serial_putc(text[i]);
	}
	if (st->screen_on)
		fbcon_write(&st->screen, text, len);
}

/*
 * The printable ASCII glyphs of the firmware's system font (HII), as bits:
 * a pixel is on where it differs from the space glyph's background.
 * Return: a line saying what is missing, or NULL when the font is complete.
 */
static const char *read_firmware_font(struct mp_font *font)
{
	struct hii_font_protocol *hii = NULL;
	EFI_GRAPHICS_OUTPUT_BLT_PIXEL bg = { 0, 0, 0, 0 };

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &hii_font_guid, NULL, (void **)&hii)) || !hii)
		return "the firmware has no HII font";
	for (unsigned g = 0; g < FONT_GLYPHS; g++) {
		struct hii_image_output *img = NULL;
		EFI_STATUS s = uefi_call_wrapper(hii->get_glyph, 5, hii, (CHAR16)(FONT_FIRST + g), NULL, &img,
						 NULL);

		if (EFI_ERROR(s) || !img || !img->bitmap)
			return "the firmware's font lacks a printable ASCII glyph";
		if (g == 0) {
			font->width = img->width < FONT_MAX_WIDTH ? img->width : FONT_MAX_WIDTH;
			font->height = img->height < FONT_MAX_HEIGHT ? img->height : FONT_MAX_HEIGHT;
			bg = img->bitmap[0];
		}
		for (unsigned y = 0; y < font->height && y < img->height; y++)
			for (unsigned x = 0; x < font->width && x < img->width; x++) {
				const EFI_GRAPHICS_OUTPUT_BLT_PIXEL *p = &img->bitmap[y * img->width + x];

				if (p->Red != bg.Red || p->Green != bg.Green || p->Blue != bg.Blue)
					font->rows[g][y] |= (uint16_t)(1u << (font->width - 1 - x));
			}
		uefi_call_wrapper(BS->FreePool, 1, img->bitmap);
		uefi_call_wrapper(BS->FreePool, 1, img);
	}
	return NULL;
}

/*
 * The GOP framebuffer, and the font to write on it; a line says when either
 * is missing (the lines then go to COM1 and the variable only).
 */
static void prepare_screen(struct exit_state *st, struct mp_log *log)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	const char *why;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &GraphicsOutputProtocol, NULL,
					 (void **)&gop)) || !gop || !gop->Mode || !gop->Mode->Info) {
		mp_printk(log, "memprobe: no GOP screen: the lines after ExitBootServices go to COM1 and "
			       "the next run only\n");
		return;
	}
	st->fb_base = gop->Mode->FrameBufferBase;
	st->fb_size = gop->Mode->FrameBufferSize;
	if (gop->Mode->Info->PixelFormat != PixelRedGreenBlueReserved8BitPerColor &&
	    gop->Mode->Info->PixelFormat != PixelBlueGreenRedReserved8BitPerColor) {
		mp_printk(log, "memprobe: the GOP screen has no 32-bit linear framebuffer (pixel format %u); "
			       "the lines after ExitBootServices go to COM1 and the next run only\n",
			  (unsigned)gop->Mode->Info->PixelFormat);
		return;
	}
	why = read_firmware_font(&st->font);
	if (why) {
		mp_printk(log, "memprobe: %s; the lines after ExitBootServices go to COM1 and the next "
			       "run only\n",
			  why);
		return;
	}
	st->fb_width = gop->Mode->Info->HorizontalResolution;
	st->fb_height = gop->Mode->Info->VerticalResolution;
	st->fb_stride = gop->Mode->Info->PixelsPerScanLine;
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
 * What must not change: ACPI tables and NVS, runtime code and data, and
 * memprobe's own code.  Never memory-mapped I/O, and never reserved
 * ranges: on real boards reading some of them hangs the machine.
 */
static void choose_hashed(struct exit_state *st)
{
	st->nr_hashed = 0;
	for (UINTN i = 0; i < nr_descs(st) && st->nr_hashed < MAX_HASHED - 1; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = desc_at(st, i);

		if (d->Type == EfiACPIReclaimMemory || d->Type == EfiACPIMemoryNVS ||
		    d->Type == EfiRuntimeServicesCode || d->Type == EfiRuntimeServicesData)
			st->hashed[st->nr_hashed++] = (struct hashed_region){
				.base = d->PhysicalStart, .size = d->NumberOfPages << PAGE_SHIFT };
	}
	st->hashed[st->nr_hashed++] = (struct hashed_region){
		.base = (uintptr_t)_text, .size = (uint64_t)(_etext - _text) };
}

static uint64_t hash_region(const struct hashed_region *r)
{
	return mp_fnv1a64(MP_FNV1A64_INIT, (const void *)(uintptr_t)r->base, r->size);
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
		choose_hashed(st);
		for (unsigned i = 0; i < st->nr_hashed; i++)
			st->hashed[i].before_exit = hash_region(&st->hashed[i]);
		if ((unsigned)*attempts <= stale_keys) {
			EFI_PHYSICAL_ADDRESS page = 0;

			uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData, 1, &page);
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
	if (st->fb_size && st->fb_base + st->fb_size > FOUR_GIB)
		pt_map_range(b, round_down(st->fb_base, PAGE_SIZE), round_down(st->fb_base, PAGE_SIZE),
			     round_up(st->fb_base + st->fb_size, PAGE_SIZE) - round_down(st->fb_base, PAGE_SIZE),
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

static unsigned count_changed(const struct exit_state *st, bool by_exit)
{
	unsigned n = 0;

	for (unsigned i = 0; i < st->nr_hashed; i++) {
		const struct hashed_region *r = &st->hashed[i];

		n += by_exit ? r->before_exit != r->after_exit : r->after_exit != r->after_build;
	}
	return n;
}

/*
 * The paging mode to load: Linux's, when the firmware runs another and the
 * switch through compatibility mode is possible (LA57 can change only with
 * paging off); otherwise the firmware's, with a line saying why.
 */
static unsigned choose_levels(const struct machine *m, struct mp_log *log)
{
	uint64_t cr4 = read_cr4(), rsp;
	unsigned current = cr4 & CR4_LA57 ? 5 : 4;
	const char *why = NULL;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	if (m->paging.levels == current)
		return current;
	if (cr4 & CR4_PCIDE)
		why = "PCIDs are on, so paging cannot be turned off";
	else if ((uintptr_t)memprobe_switch_paging >= FOUR_GIB || rsp >= FOUR_GIB)
		why = "memprobe's code or stack is above 4 GiB, out of 32-bit reach";
	if (!why)
		return m->paging.levels;
	mp_printk(log, "memprobe: note: the firmware runs %u-level paging and Linux would use %u; the "
		       "tables are built for %u levels (%s)\n",
		  current, m->paging.levels, current, why);
	return current;
}

/* Load the tables: a CR3 write, or the switch when the paging mode changes. */
static bool load_tables(struct exit_state *st, unsigned levels, struct mp_log *log)
{
	uint64_t old_cr3 = read_cr3();
	unsigned current = read_cr4() & CR4_LA57 ? 5 : 4;
	uint16_t code32;

	if (levels == current) {
		write_cr3(st->builder.root);
		mp_printk(log, "memprobe: CR3 switched from %#llx to %#llx\n", (unsigned long long)old_cr3,
			  (unsigned long long)st->builder.root);
		return true;
	}
	code32 = load_gdt_with_code32(st);
	if (!code32) {
		mp_printk(log, "memprobe: error: the firmware's GDT has more than %d entries; the tables "
			       "are not loaded\n",
			  MAX_GDT_ENTRIES - 2);
		return false;
	}
	memprobe_switch_paging(st->builder.root, code32, read_cs(), levels == 5 ? CR4_LA57 : 0);
	mp_printk(log, "memprobe: CR3 switched from %#llx to %#llx, paging from %u to %u levels "
		       "(LA57 %s)\n",
		  (unsigned long long)old_cr3, (unsigned long long)st->builder.root, current, levels,
		  levels == 5 ? "on" : "off");
	return true;
}

/* After ExitBootServices: build, load, verify, hash, keep the lines, reset. */
static void after_exit(struct exit_state *st, const struct machine *m, int attempts)
{
	struct mp_log log = { .write = out_write, .ctx = st };
	struct pt_builder *b = &st->builder;
	const struct phys_mem mem = { identity_page, NULL };
	unsigned levels, mask = PG_2M;
	bool switching;
	uint64_t page_offset;
	struct pt_verify_result v;
	EFI_STATUS s;

	__asm__ volatile("cli");
	st->serial = serial_present();
	if (st->fb_width) {
		fbcon_init(&st->screen, (uint32_t *)(uintptr_t)st->fb_base, st->fb_width, st->fb_height,
			   st->fb_stride, &st->font);
		st->screen_on = true;
	}
	mp_printk(&log, "memprobe: after ExitBootServices (attempt %d): %u regions hashed, COM1 %s\n",
		  attempts, st->nr_hashed, st->serial ? "answers" : "absent");
	if (st->screen_on)
		mp_printk(&log, "memprobe: screen: %ux%u GOP framebuffer at %#llx, the firmware's %ux%u "
				"font, %u columns and %u rows\n",
			  st->fb_width, st->fb_height, (unsigned long long)st->fb_base, st->font.width,
			  st->font.height, st->screen.cols, st->screen.rows);
	for (unsigned i = 0; i < st->nr_hashed; i++)
		st->hashed[i].after_exit = hash_region(&st->hashed[i]);
	levels = choose_levels(m, &log);
	switching = levels != (read_cr4() & CR4_LA57 ? 5u : 4u);
	page_offset = levels == 5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	if (m->paging.cpu.gbpages)
		mask |= PG_1G;
	fill_pool(st, &log);
	/* a root loaded from 32-bit code must be below 4 GiB; the other tables go there too */
	if (pt_build_init(b, &mem, &st->pool, levels, mask,
			  switching ? FOUR_GIB : MEMBLOCK_ALLOC_ANYWHERE, &log) &&
	    pt_build_direct_map(b, &m->dm, page_offset))
		map_identity(st, mask);
	if (b->failed) {
		mp_printk(&log, "memprobe: error: page tables not loaded\n");
	} else {
		v = pt_verify(b);
		mp_printk(&log, "memprobe: page tables: %u levels, %llu bytes of tables, "
				"DirectMap4k/2M/1G %llu kB %llu kB %llu kB\n",
			  levels, (unsigned long long)(b->table_pages << PAGE_SHIFT),
			  (unsigned long long)(b->leaf_bytes[DM_4K] >> 10),
			  (unsigned long long)(b->leaf_bytes[DM_2M] >> 10),
			  (unsigned long long)(b->leaf_bytes[DM_1G] >> 10));
		if (load_tables(st, levels, &log)) {
			check_patterns(st, page_offset, &v);
			mp_printk(&log, "memprobe: page tables verified: %llu ranges, %llu pages checked, "
					"%llu mismatches%s\n",
				  (unsigned long long)v.ranges, (unsigned long long)v.pages_checked,
				  (unsigned long long)v.mismatches,
				  b->mappings_dropped ? " (more ranges than memprobe keeps; the rest unchecked)"
						      : "");
		}
	}
	for (unsigned i = 0; i < st->nr_hashed; i++)
		st->hashed[i].after_build = hash_region(&st->hashed[i]);
	mp_printk(&log, "memprobe: integrity: %u regions hashed before and after, %u changed\n",
		  st->nr_hashed, count_changed(st, false));
	if (count_changed(st, true))
		mp_printk(&log, "memprobe: note: %u of them changed during ExitBootServices itself (the "
				"firmware's own exit handlers)\n",
			  count_changed(st, true));
	s = uefi_call_wrapper(RT->SetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid,
			      EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
				      EFI_VARIABLE_RUNTIME_ACCESS,
			      st->out_len, st->out);
	if (EFI_ERROR(s))
		mp_printk(&log, "memprobe: warning: saving these lines failed (%s); the next run cannot "
				"show them\n",
			  efi_status_name(s));
	if (m->opts.poweroff) {
		mp_printk(&log, "memprobe: powering off\n");
		uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	}
	mp_printk(&log, "memprobe: resetting\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}

/**
 * efi_exit_and_map() - the exit_boot_services option, after the report is saved
 *
 * Return: only when ExitBootServices failed twice (boot services stay up)
 * or the state could not be allocated; otherwise the machine resets.
 */
void efi_exit_and_map(EFI_HANDLE image, const struct machine *m, struct mp_log *log)
{
	struct exit_state *st = efi_alloc_pool(sizeof(*st));
	UINTN size = 0, key, desc_size = 0;
	UINT32 version;
	EFI_STATUS s;
	const char *call = "";
	int attempts;

	if (!st) {
		mp_printk(log, "memprobe: error: cannot allocate %lu bytes to leave boot services; staying\n",
			  (unsigned long)sizeof(*st));
		return;
	}
	mp_memset(st, 0, sizeof(*st));
	prepare_screen(st, log);
	s = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &desc_size, &version);
	if (s != EFI_BUFFER_TOO_SMALL) {
		mp_printk(log, "memprobe: error: GetMemoryMap without a buffer returned %s, not "
			       "EFI_BUFFER_TOO_SMALL; staying in boot services\n",
			  efi_status_name(s));
		return;
	}
	st->map_capacity = size + MAP_SLACK_DESCS * (desc_size ? desc_size : 64);
	st->map = efi_alloc_pool(st->map_capacity);
	if (!st->map) {
		mp_printk(log, "memprobe: error: cannot allocate the memory map buffer; staying in boot "
			       "services\n");
		return;
	}
	mp_printk(log, "memprobe: leaving boot services: the next lines come on COM1 (if it answers) "
		       "and are kept for the next run\n");
	s = exit_boot_services(image, st, m->opts.ebs_stale_keys, &attempts, &call);
	if (EFI_ERROR(s)) {
		mp_printk(log, "memprobe: error: %s failed on attempt %d of 2 (%s); staying in boot "
			       "services\n",
			  call, attempts > 2 ? 2 : attempts, efi_status_name(s));
		return;
	}
	after_exit(st, m, attempts);
}

/**
 * efi_previous_after_exit() - the lines a previous run kept after ExitBootServices
 *
 * Read once: the variable is deleted, so a later run does not show them again.
 * Return: the number of bytes copied into buf (NUL-terminated), 0 when there were none.
 */
size_t efi_previous_after_exit(char *buf, size_t size)
{
	UINTN len = size - 1;
	UINT32 attrs;
	EFI_STATUS s = uefi_call_wrapper(RT->GetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid,
					 &attrs, &len, buf);

	if (EFI_ERROR(s))
		return 0;
	buf[len] = '\0';
	uefi_call_wrapper(RT->SetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid, attrs, 0, NULL);
	return len;
}
