// SPDX-License-Identifier: GPL-2.0
/*
 * The initial stack of a program.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "elfstack.h"

/* Bytes of the strings, the tables and the padding for @in. */
static int stack_bytes(const struct elf_stack_in *in, size_t *bytes)
{
	size_t n = 8 + strlen(in->execfn) + 1 + 16 + 16 + 16, i;

	if (in->platform)
		n += strlen(in->platform) + 1;
	for (i = 0; i < in->argc; i++)
		n += strlen(in->argv[i]) + 1;
	for (i = 0; i < in->envc; i++)
		n += strlen(in->envp[i]) + 1;
	if (in->argc > SIZE_MAX / 64 || in->envc > SIZE_MAX / 64 ||
	    in->nauxv > SIZE_MAX / 64)
		return -1;
	n += 8 * (1 + in->argc + 1 + in->envc + 1) + 16 * (in->nauxv + 1);
	*bytes = n;
	return 0;
}

/* Copies @s below *@top (as an address in @mem); returns its address. */
static uint64_t push_str(unsigned char *mem, uint64_t vaddr, uint64_t *top,
			 const char *s)
{
	size_t len = strlen(s) + 1;

	*top -= len;
	memcpy(mem + (*top - vaddr), s, len);
	return *top;
}

static void put_u64(unsigned char *mem, uint64_t vaddr, uint64_t at,
		    uint64_t v)
{
	memcpy(mem + (at - vaddr), &v, 8);
}

/* The pointers to @n strings laid out from @s on, and a NULL, at @p. */
static uint64_t put_ptrs(unsigned char *mem, uint64_t vaddr, uint64_t p,
			 uint64_t s, char *const *strs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, p += 8) {
		put_u64(mem, vaddr, p, s);
		s += strlen(strs[i]) + 1;
	}
	put_u64(mem, vaddr, p, 0);
	return p + 8;
}

int elf_build_stack(unsigned char *mem, uint64_t vaddr, size_t size,
		    const struct elf_stack_in *in, struct elf_stack_out *out,
		    char *err, size_t errsz)
{
	uint64_t top = vaddr + size, p, execfn, platform = 0, random, sp;
	size_t need, i, words;

	memset(out, 0, sizeof(*out));
	if (stack_bytes(in, &need) || need > size / 4) {
		snprintf(err, errsz, "argument list too long: the arguments "
			 "and environment need more than a quarter of the "
			 "%zu-byte stack", size);
		return -1;
	}
	p = top - 8;
	put_u64(mem, vaddr, p, 0);
	/* from the top down: execfn, envp strings (last first), argv */
	execfn = push_str(mem, vaddr, &p, in->execfn);
	out->env_end = execfn;
	for (i = in->envc; i > 0; i--)
		push_str(mem, vaddr, &p, in->envp[i - 1]);
	out->env_start = p;
	out->arg_end = p;
	for (i = in->argc; i > 0; i--)
		push_str(mem, vaddr, &p, in->argv[i - 1]);
	out->arg_start = p;
	if (in->platform)
		platform = push_str(mem, vaddr, &p, in->platform);
	p -= 16;
	random = p;
	memcpy(mem + (random - vaddr), in->random, 16);
	p &= ~(uint64_t)15;

	/* argc, argv[] + NULL, envp[] + NULL, auxv + AT_NULL: 16-aligned */
	words = 1 + in->argc + 1 + in->envc + 1 + 2 * (in->nauxv + 1);
	sp = (p - 8 * words) & ~(uint64_t)15;
	out->sp = sp;
	p = sp;
	put_u64(mem, vaddr, p, in->argc);
	p += 8;
	p = put_ptrs(mem, vaddr, p, out->arg_start, in->argv, in->argc);
	p = put_ptrs(mem, vaddr, p, out->env_start, in->envp, in->envc);
	out->auxv = p;
	for (i = 0; i < in->nauxv; i++) {
		uint64_t type = in->auxv[i].type, v = in->auxv[i].value;

		if (type == AT_EXECFN)
			v = execfn;
		else if (type == AT_PLATFORM)
			v = platform;
		else if (type == AT_RANDOM)
			v = random;
		if (type == AT_PLATFORM && !platform)
			continue;
		put_u64(mem, vaddr, p, type);
		put_u64(mem, vaddr, p + 8, v);
		p += 16;
	}
	put_u64(mem, vaddr, p, AT_NULL);
	put_u64(mem, vaddr, p + 8, 0);
	p += 16;
	out->auxv_size = p - out->auxv;
	return 0;
}

size_t elf_auxv_for(const struct elf_auxv *self, size_t nself,
		    const struct elf_aux_prog *p, struct elf_auxv *out,
		    size_t max)
{
	const struct elf_auxv own[] = {
		{ AT_PHDR, p->phdr }, { AT_PHENT, 56 }, { AT_PHNUM, p->phnum },
		{ AT_BASE, p->base }, { AT_FLAGS, 0 }, { AT_ENTRY, p->entry },
		{ AT_RANDOM, 0 }, { AT_EXECFN, 0 }, { AT_PAGESZ, p->page_size },
	};
	bool seen[sizeof(own) / sizeof(own[0])] = { false };
	size_t n = 0, i, k;

	for (i = 0; i < nself && self[i].type != AT_NULL && n < max; i++) {
		struct elf_auxv e = self[i];

		if (e.type == AT_EXECFD)
			continue;
		for (k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
			if (own[k].type != e.type)
				continue;
			seen[k] = true;
			if (e.type != AT_PAGESZ)
				e.value = own[k].value;
		}
		if (e.type == AT_PLATFORM)
			e.value = 0;
		out[n++] = e;
	}
	for (k = 0; k < sizeof(own) / sizeof(own[0]) && n < max; k++)
		if (!seen[k])
			out[n++] = own[k];
	return n;
}
