// SPDX-License-Identifier: MIT
/* The formatter against Linux's documented semantics, and against glibc
 * where the two agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

static char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *format, ...)
{
	static char buf[256];
	va_list ap;

	va_start(ap, format);
	mp_vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	return buf;
}

static void kernel_hex_prefix(void **state)
{
	(void)state;
	/* Linux prints the 0x prefix for zero too; glibc would not. */
	assert_string_equal(fmt("%#x", 0), "0x0");
	assert_string_equal(fmt("%#lx", 0UL), "0x0");
	assert_string_equal(fmt("%#010llx", 0ULL), "0x00000000");
	assert_string_equal(fmt("%#018llx", 0ULL), "0x0000000000000000");
	/* The width counts the prefix; bigger values just grow. */
	assert_string_equal(fmt("%#010llx", 0x9ffffULL), "0x0009ffff");
	assert_string_equal(fmt("%#010llx", 0x13fffffffULL), "0x13fffffff");
	assert_string_equal(fmt("%#010llx", 0xfffffffffffffffeULL), "0xfffffffffffffffe");
	assert_string_equal(fmt("%#lx", 0x400000000UL), "0x400000000");
	assert_string_equal(fmt("%#X", 255), "0XFF");
}

static void widths_and_precision(void **state)
{
	(void)state;
	assert_string_equal(fmt("mem%02u", 5U), "mem05");
	assert_string_equal(fmt("mem%02u", 127U), "mem127");
	assert_string_equal(fmt("v%u.%.02u", 2U, 70U), "v2.70");
	assert_string_equal(fmt("v%u.%.02u", 2U, 0U), "v2.00");
	assert_string_equal(fmt("[%-*s|", 12, "MMIO"), "[MMIO        |");
	assert_string_equal(fmt("|%3s|%2s|", "", "WB"), "|   |WB|");
	assert_string_equal(fmt("%5d|%-5d|%05d", -42, 42, -42), "  -42|42   |-0042");
	assert_string_equal(fmt("%.*s", 3, "abcdef"), "abc");
	assert_string_equal(fmt("%c%c%%", 'o', 'k'), "ok%");
	assert_string_equal(fmt("%lld", (long long)INT64_MIN), "-9223372036854775808");
	assert_string_equal(fmt("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
	assert_string_equal(fmt("%hhu %hd", 257, 65537), "1 1");
}

static void truncation(void **state)
{
	char small[8];

	(void)state;
	/* Returns the length it wanted, stores what fits, always terminates. */
	assert_int_equal(mp_snprintf(small, sizeof(small), "%s", "0123456789"), 10);
	assert_string_equal(small, "0123456");
	assert_int_equal(mp_snprintf(small, 1, "abc"), 3);
	assert_string_equal(small, "");
	assert_int_equal(mp_snprintf(NULL, 0, "%d", 12345), 5);
}

/* Where Linux and glibc agree (no '#' on zero), random values must match glibc. */
static void agrees_with_glibc(void **state)
{
	static const char *const formats[] = {
		"%d", "%5d", "%-7d|", "%08d", "%+d", "% d", "%u", "%x", "%X", "%08x", "%-8x|",
		"%llx", "%llu", "%lld", "%020llu", "%o", "%.5d", "%10.4x",
	};
	char want[128], got[128];

	(void)state;
	srand(1);
	for (int i = 0; i < 20000; i++) {
		const char *f = formats[i % (sizeof(formats) / sizeof(formats[0]))];
		long long v = (long long)(((unsigned long long)rand() << 33) ^
					  ((unsigned long long)rand() << 11) ^ (unsigned long long)rand());

		if (i % 3 == 0)
			v = -v;
		if (strstr(f, "ll")) {
			snprintf(want, sizeof(want), f, v);
			mp_snprintf(got, sizeof(got), f, v);
		} else {
			snprintf(want, sizeof(want), f, (int)v);
			mp_snprintf(got, sizeof(got), f, (int)v);
		}
		if (strcmp(want, got))
			fail_msg("format %s of %lld: glibc '%s', memprobe '%s'", f, v, want, got);
	}
}

static void printk_lines(void **state)
{
	struct capture c;
	char long_text[MP_LINE_MAX * 2];

	(void)state;
	capture_init(&c);
	mp_printk(&c.log, "a %d\n", 1);
	mp_printk(&c.log, "b\n");
	assert_string_equal(c.text, "a 1\nb\n");
	/* An over-long line is cut but still ends in a newline. */
	capture_reset(&c);
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	mp_printk(&c.log, "%s\n", long_text);
	assert_int_equal(c.len, MP_LINE_MAX - 1);
	assert_int_equal(c.text[c.len - 1], '\n');
	capture_free(&c);
}

/*
 * pr_cont()'s records: a piece that with its NUL would pass the largest
 * record starts a new one.  "L: " and "7 1000 " fill 10 of 12 bytes;
 * "65535 " would need 17, so it begins the second record.
 */
static void cont_numbers(void **state)
{
	struct capture c;
	struct mp_cont line;

	(void)state;
	capture_init(&c);
	mp_cont_start(&line, &c.log, 12, "L: ");
	mp_cont_number(&line, 7);
	mp_cont_number(&line, 1000);
	mp_cont_number(&line, 65535);
	mp_cont_number(&line, 0);
	mp_cont_end(&line);
	assert_string_equal(c.text, "L: 7 1000 \n65535 0 \n");
	capture_reset(&c);
	mp_cont_start(&line, &c.log, 1024, "N: ");
	mp_cont_number(&line, 4294967295u);
	mp_cont_end(&line);
	assert_string_equal(c.text, "N: 4294967295 \n");
	capture_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_hex_prefix),
		cmocka_unit_test(widths_and_precision),
		cmocka_unit_test(truncation),
		cmocka_unit_test(agrees_with_glibc),
		cmocka_unit_test(printk_lines),
		cmocka_unit_test(cont_numbers),
	};

	return cmocka_run_group_tests_name("printk", tests, NULL, NULL);
}
