/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The initial stack of a program, as execve(2) lays it out on x86-64
 * (fs/binfmt_elf.c, create_elf_tables()), from the top down:
 *
 *	8 zero bytes
 *	the program's path (AT_EXECFN), the environment strings, the
 *	argument strings (in memory: argv[0] ... envp[last], execfn)
 *	the platform string (AT_PLATFORM), 16 random bytes (AT_RANDOM)
 *	padding to 16 bytes
 *	auxv (type, value pairs, ending with AT_NULL)
 *	envp[] with a NULL, argv[] with a NULL
 *	argc				<- the stack pointer, 16-byte aligned
 *
 * Pure functions: the stack is built in a buffer the caller gives, whose
 * first byte is at address @vaddr in the program.
 */
#ifndef IVMA_ELFSTACK_H
#define IVMA_ELFSTACK_H

#include <stddef.h>
#include <stdint.h>

struct elf_auxv {
	uint64_t type, value;
};

struct elf_stack_in {
	char *const *argv;
	size_t argc;
	char *const *envp;
	size_t envc;
	const char *execfn;		/* AT_EXECFN */
	const char *platform;		/* AT_PLATFORM, or NULL */
	unsigned char random[16];	/* AT_RANDOM */
	/*
	 * The auxiliary vector, without AT_NULL; the values of AT_EXECFN,
	 * AT_PLATFORM and AT_RANDOM are replaced by their strings'
	 * addresses on the stack.
	 */
	const struct elf_auxv *auxv;
	size_t nauxv;
};

struct elf_stack_out {
	uint64_t sp;			/* where argc is */
	uint64_t arg_start, arg_end;	/* the argument strings */
	uint64_t env_start, env_end;	/* the environment strings */
	uint64_t auxv;			/* the auxiliary vector */
	uint64_t auxv_size;		/* its bytes, AT_NULL included */
};

/* What the auxiliary vector says of the program itself. */
struct elf_aux_prog {
	uint64_t phdr, phnum;		/* AT_PHDR, AT_PHNUM (AT_PHENT: 56) */
	uint64_t base;			/* AT_BASE: the interpreter's, or 0 */
	uint64_t entry;			/* AT_ENTRY: the program's */
	uint64_t page_size;		/* AT_PAGESZ, if the loader had none */
};

/*
 * elf_auxv_for - the program's auxiliary vector from the loader's own
 * @self (@nself entries, as /proc/self/auxv gives them, AT_NULL optional):
 * the same entries in the same order (what the kernel gave the loader:
 * AT_HWCAP, AT_SYSINFO_EHDR, AT_MINSIGSTKSZ, AT_RSEQ_*, ...), the
 * program's own AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_ENTRY, AT_FLAGS
 * 0, placeholders for AT_RANDOM, AT_EXECFN and AT_PLATFORM (which
 * elf_build_stack() fills in), no AT_EXECFD; those of the program's that
 * @self lacks are appended. Returns the count (at most @max), no AT_NULL.
 */
size_t elf_auxv_for(const struct elf_auxv *self, size_t nself,
		    const struct elf_aux_prog *p, struct elf_auxv *out,
		    size_t max);

/*
 * elf_build_stack - lays out @in at the top of @mem (@size bytes, its
 * first byte at program address @vaddr; @vaddr + @size a multiple of 16).
 * The strings and tables may use at most a quarter of @size (as Linux
 * allows a quarter of the stack limit). Returns 0, or -1 with a message
 * in @err ("argument list too long").
 */
int elf_build_stack(unsigned char *mem, uint64_t vaddr, size_t size,
		    const struct elf_stack_in *in, struct elf_stack_out *out,
		    char *err, size_t errsz);

#endif /* IVMA_ELFSTACK_H */
