// SPDX-License-Identifier: MIT
/* Numbers on a command line, with Linux's rules for bases, suffixes and overflow. */
#include "memprobe/lib/cmdline.h"

#include "memprobe/lib/util.h"

/* A digit's value in any base up to 16; 99 for a non-digit (never below a base). */
static int digit_value(char c)
{
	int v = mp_hexval(c);

	return v < 0 ? 99 : v;
}

/* The base a number's prefix names, as Linux's _parse_integer_fixup_radix() reads it; *s skips "0x". */
static unsigned number_base(const char **s)
{
	if ((*s)[0] != '0')
		return 10;
	if (((*s)[1] == 'x' || (*s)[1] == 'X') && digit_value((*s)[2]) < 16) {
		*s += 2;
		return 16;
	}
	return 8;
}

/* memparse()'s suffix, K to E: the shift it stands for; *p moves past it. */
static unsigned suffix_shift(const char **p)
{
	static const char suffixes[] = "kmgtpe";

	for (unsigned i = 0; suffixes[i]; i++)
		if ((**p | 0x20) == suffixes[i]) {
			(*p)++;
			return 10 * (i + 1);
		}
	return 0;
}

/**
 * simple_strtoull() - Linux's simple_strtoull(s, &end, 0)
 * @s: the text
 * @end: set to the first character not read, or NULL
 *
 * "0x" starts hex, a leading 0 octal, anything else decimal; there is no
 * sign and no overflow check, as in Linux.
 *
 * Return: the value.
 */
uint64_t simple_strtoull(const char *s, const char **end)
{
	unsigned base = number_base(&s);
	uint64_t v = 0;

	while (digit_value(*s) < (int)base)
		v = v * base + (uint64_t)digit_value(*s++);
	if (end)
		*end = s;
	return v;
}

/**
 * get_option() - Linux's get_option() for one integer, as early_param handlers use it
 * @s: the text
 * @v: set to the value; 0 when no digit starts the text (Linux stores that
 *     too), unchanged when the text is empty
 *
 * Return: whether a number was read.
 */
bool get_option(const char *s, int *v)
{
	const char *end;
	bool negative = *s == '-';

	if (!*s)
		return false;
	if (negative)
		s++;
	*v = (int)simple_strtoull(s, &end);
	if (negative)
		*v = -*v;
	return end != s;
}

/**
 * memparse() - Linux's memparse(): a number with an optional K/M/G/T/P/E suffix
 * @s: the text
 * @end: set to the first character not read, or NULL
 *
 * Return: the value in bytes.
 */
uint64_t memparse(const char *s, const char **end)
{
	const char *p;
	uint64_t v = simple_strtoull(s, &p);
	unsigned shift = suffix_shift(&p);

	if (end)
		*end = p;
	return v << shift;
}

/**
 * memparse_whole() - a size or address of memprobe's own options: memparse's form, nothing wrapping
 * @s: the text: digits in the base the prefix names, an optional K/M/G/T/P/E, nothing after
 * @v: set to the value when it is one
 *
 * Unlike memparse(), it refuses a sign, a missing number, digits or a suffix
 * that overflow 64 bits, and anything after the number.
 *
 * Return: whether s is such a number.
 */
bool memparse_whole(const char *s, uint64_t *v)
{
	unsigned base, shift;
	const char *p;
	uint64_t n = 0;

	if (digit_value(*s) > 9)
		return false;
	base = number_base(&s);
	for (p = s; digit_value(*p) < (int)base; p++) {
		if (n > (UINT64_MAX - (uint64_t)digit_value(*p)) / base)
			return false;
		n = n * base + (uint64_t)digit_value(*p);
	}
	shift = suffix_shift(&p);
	if (*p || (shift && n > UINT64_MAX >> shift))
		return false;
	*v = n << shift;
	return true;
}

/**
 * kstrtoint() - Linux's kstrtoint(s, 0, v): a whole int, nothing after it
 * @s: the text
 * @v: set to the value when it is one
 *
 * An optional sign, then digits in the base the prefix names, then at most
 * a newline; a value outside int's range is refused, however many digits.
 *
 * Return: whether s is an int.
 */
bool kstrtoint(const char *s, int *v)
{
	bool negative = *s == '-';
	uint64_t n = 0, limit = negative ? 0x80000000ULL : 0x7fffffffULL;
	const char *digits;
	unsigned base;

	s += *s == '-' || *s == '+';
	base = number_base(&s);
	for (digits = s; digit_value(*s) < (int)base; s++)
		if (n <= limit)
			n = n * base + (uint64_t)digit_value(*s);
	s += *s == '\n';
	if (s == digits || *s || n > limit)
		return false;
	*v = negative ? (int)-(int64_t)n : (int)n;
	return true;
}
