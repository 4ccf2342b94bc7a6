// SPDX-License-Identifier: MIT
/*
 * The screen after ExitBootServices: the GOP framebuffer's place and shape,
 * and the firmware's own font (HII), both read while boot services still
 * answer.
 */
#include "after_exit.h"

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

/*
 * The printable ASCII glyphs of the firmware's system font (HII), as bits:
 * a pixel is on where it differs from the space glyph's background.
 * Return: a line saying what is missing, or NULL when the font is complete.
 */
static const char *read_firmware_font(struct mp_font *font, struct mp_log *log)
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
		efi_free_pool(img->bitmap, log);
		efi_free_pool(img, log);
	}
	return NULL;
}

/**
 * gop_prepare() - the GOP framebuffer and the font to write on it
 * @g: set; g->width stays 0 when either is missing
 * @fail: fail=gop: the protocol's lookup fails (tests)
 * @log: where a line says what is missing (the lines then go to COM1 and
 *	 the variable only)
 */
void gop_prepare(struct gop_screen *g, bool fail, struct mp_log *log)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_STATUS st;
	const char *why;

	st = fail ? EFI_DEVICE_ERROR
		  : uefi_call_wrapper(BS->LocateProtocol, 3, &GraphicsOutputProtocol, NULL, (void **)&gop);
	if (EFI_ERROR(st) || !gop || !gop->Mode || !gop->Mode->Info) {
		mp_printk(log, "memprobe: no GOP screen (%s%s): the lines after ExitBootServices go to COM1 "
			       "and the next run only\n",
			  EFI_ERROR(st) ? efi_status_name(st) : "no mode", fail ? ", fail=gop" : "");
		return;
	}
	g->fb_base = gop->Mode->FrameBufferBase;
	g->fb_size = gop->Mode->FrameBufferSize;
	if (gop->Mode->Info->PixelFormat != PixelRedGreenBlueReserved8BitPerColor &&
	    gop->Mode->Info->PixelFormat != PixelBlueGreenRedReserved8BitPerColor) {
		mp_printk(log, "memprobe: the GOP screen has no 32-bit linear framebuffer (pixel format %u); "
			       "the lines after ExitBootServices go to COM1 and the next run only\n",
			  (unsigned)gop->Mode->Info->PixelFormat);
		return;
	}
	why = read_firmware_font(&g->font, log);
	if (why) {
		mp_printk(log, "memprobe: %s; the lines after ExitBootServices go to COM1 and the next "
			       "run only\n",
			  why);
		return;
	}
	g->width = gop->Mode->Info->HorizontalResolution;
	g->height = gop->Mode->Info->VerticalResolution;
	g->stride = gop->Mode->Info->PixelsPerScanLine;
}
