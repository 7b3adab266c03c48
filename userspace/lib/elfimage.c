// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of an x86-64 ELF executable's headers.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "elfimage.h"

static const char *machine_name(unsigned int m)
{
	switch (m) {
	case EM_386:
		return "i386";
	case EM_ARM:
		return "ARM";
	case EM_AARCH64:
		return "AArch64";
	case EM_PPC64:
		return "PowerPC64";
	case EM_S390:
		return "s390";
	case EM_RISCV:
		return "RISC-V";
	case EM_MIPS:
		return "MIPS";
	case EM_SPARCV9:
		return "SPARC V9";
	}
	return NULL;
}

int elf_parse_header(const unsigned char *buf, size_t len, uint64_t file_size,
		     struct elf_image *img, char *err, size_t errsz)
{
	Elf64_Ehdr eh;
	const char *mname;

	memset(img, 0, sizeof(*img));
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0) {
		snprintf(err, errsz, "not an ELF file (no ELF magic)");
		return -1;
	}
	if (len > EI_CLASS && buf[EI_CLASS] == ELFCLASS32) {
		snprintf(err, errsz, "wrong class: a 32-bit ELF file (ivma "
			 "exec runs 64-bit x86-64 programs)");
		return -1;
	}
	if (len > EI_CLASS && buf[EI_CLASS] != ELFCLASS64) {
		snprintf(err, errsz, "wrong class: ELF class %u", buf[EI_CLASS]);
		return -1;
	}
	if (len < ELF_EHDR_SIZE || file_size < ELF_EHDR_SIZE) {
		snprintf(err, errsz, "truncated ELF header (%zu of %d bytes)",
			 len, ELF_EHDR_SIZE);
		return -1;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errsz, "wrong byte order: %s ELF file",
			 eh.e_ident[EI_DATA] == ELFDATA2MSB ? "a big-endian" :
			 "an unknown byte order's");
		return -1;
	}
	if (eh.e_ident[EI_VERSION] != EV_CURRENT ||
	    eh.e_version != EV_CURRENT) {
		snprintf(err, errsz, "bad ELF version %u", eh.e_version);
		return -1;
	}
	if (eh.e_machine != EM_X86_64) {
		mname = machine_name(eh.e_machine);
		if (mname)
			snprintf(err, errsz, "wrong machine: %s (ivma exec "
				 "runs x86-64 programs)", mname);
		else
			snprintf(err, errsz, "wrong machine: ELF machine %u "
				 "(ivma exec runs x86-64 programs)",
				 eh.e_machine);
		return -1;
	}
	switch (eh.e_type) {
	case ET_EXEC:
	case ET_DYN:
		break;
	case ET_REL:
		snprintf(err, errsz, "not an executable: a relocatable "
			 "object file");
		return -1;
	case ET_CORE:
		snprintf(err, errsz, "not an executable: a core dump");
		return -1;
	default:
		snprintf(err, errsz, "not an executable: ELF type %u",
			 eh.e_type);
		return -1;
	}
	if (eh.e_phentsize != ELF_PHDR_SIZE) {
		snprintf(err, errsz, "bad program header size %u (not %d)",
			 eh.e_phentsize, ELF_PHDR_SIZE);
		return -1;
	}
	if (eh.e_phnum == 0) {
		snprintf(err, errsz, "no program headers");
		return -1;
	}
	if ((uint64_t)eh.e_phnum * ELF_PHDR_SIZE > ELF_PHDRS_MAX) {
		snprintf(err, errsz, "too many program headers (%u)",
			 eh.e_phnum);
		return -1;
	}
	if (eh.e_phoff > file_size ||
	    (uint64_t)eh.e_phnum * ELF_PHDR_SIZE > file_size - eh.e_phoff) {
		snprintf(err, errsz, "the program headers (%u at offset 0x%"
			 PRIx64 ") lie past the end of the file (%" PRIu64
			 " bytes)", eh.e_phnum, (uint64_t)eh.e_phoff,
			 file_size);
		return -1;
	}
	img->type = eh.e_type;
	img->entry = eh.e_entry;
	img->phoff = eh.e_phoff;
	img->phnum = eh.e_phnum;
	return 0;
}

uint64_t elf_seg_start(const struct elf_seg *s, uint64_t page_size)
{
	return s->vaddr & ~(page_size - 1);
}

uint64_t elf_seg_end(const struct elf_seg *s, uint64_t page_size)
{
	return (s->vaddr + s->memsz + page_size - 1) & ~(page_size - 1);
}

static bool pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* One PT_LOAD: checked alone, then against the one before. */
static int add_load(struct elf_image *img, const Elf64_Phdr *ph,
		    unsigned int i, uint64_t file_size, uint64_t page_size,
		    char *err, size_t errsz)
{
	struct elf_seg *s, *prev;

	if (ph->p_filesz > ph->p_memsz) {
		snprintf(err, errsz, "segment %u: p_filesz 0x%" PRIx64 " > "
			 "p_memsz 0x%" PRIx64, i, (uint64_t)ph->p_filesz,
			 (uint64_t)ph->p_memsz);
		return -1;
	}
	if (ph->p_offset > file_size ||
	    ph->p_filesz > file_size - ph->p_offset) {
		snprintf(err, errsz, "segment %u [0x%" PRIx64 ", 0x%" PRIx64
			 ") lies past the end of the file (%" PRIu64 " bytes)",
			 i, (uint64_t)ph->p_offset,
			 (uint64_t)(ph->p_offset + ph->p_filesz), file_size);
		return -1;
	}
	if ((ph->p_vaddr - ph->p_offset) & (page_size - 1)) {
		snprintf(err, errsz, "segment %u is misaligned: p_vaddr 0x%"
			 PRIx64 " and p_offset 0x%" PRIx64 " differ modulo the "
			 "page size (0x%" PRIx64 ")", i,
			 (uint64_t)ph->p_vaddr, (uint64_t)ph->p_offset,
			 page_size);
		return -1;
	}
	if (ph->p_align > 1 && !pow2(ph->p_align)) {
		snprintf(err, errsz, "segment %u is misaligned: p_align 0x%"
			 PRIx64 " is not a power of two", i,
			 (uint64_t)ph->p_align);
		return -1;
	}
	if (ph->p_vaddr >= ELF_USER_TOP ||
	    ph->p_memsz > ELF_USER_TOP - ph->p_vaddr) {
		snprintf(err, errsz, "segment %u [0x%" PRIx64 ", +0x%" PRIx64
			 ") lies outside the user address space", i,
			 (uint64_t)ph->p_vaddr, (uint64_t)ph->p_memsz);
		return -1;
	}
	if (img->nseg == ELF_MAX_LOADS) {
		snprintf(err, errsz, "too many PT_LOAD segments (at most %d)",
			 ELF_MAX_LOADS);
		return -1;
	}
	s = &img->seg[img->nseg];
	*s = (struct elf_seg){
		.vaddr = ph->p_vaddr, .memsz = ph->p_memsz,
		.offset = ph->p_offset, .filesz = ph->p_filesz,
		.align = ph->p_align, .flags = ph->p_flags, .index = i,
	};
	if (img->nseg) {
		prev = &img->seg[img->nseg - 1];
		if (elf_seg_start(s, page_size) < elf_seg_end(prev, page_size)) {
			snprintf(err, errsz, "segments %u and %u overlap: [0x%"
				 PRIx64 ", 0x%" PRIx64 ") and [0x%" PRIx64
				 ", 0x%" PRIx64 ") (PT_LOAD segments must be in "
				 "ascending order, each in pages of its own)",
				 prev->index, i, prev->vaddr,
				 prev->vaddr + prev->memsz, s->vaddr,
				 s->vaddr + s->memsz);
			return -1;
		}
	}
	if (pow2(s->align) && s->align > img->max_align)
		img->max_align = s->align;
	img->nseg++;
	return 0;
}

/* Where the program headers are mapped: 0 and the address, or -1. */
static int find_phdrs(struct elf_image *img, uint64_t pt_phdr, bool has_phdr)
{
	uint64_t len = (uint64_t)img->phnum * ELF_PHDR_SIZE;
	size_t i;

	for (i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		if (has_phdr) {
			if (pt_phdr >= s->vaddr && pt_phdr - s->vaddr <= s->filesz &&
			    len <= s->filesz - (pt_phdr - s->vaddr)) {
				img->phdr_vaddr = pt_phdr;
				return 0;
			}
		} else if (img->phoff >= s->offset &&
			   img->phoff - s->offset <= s->filesz &&
			   len <= s->filesz - (img->phoff - s->offset)) {
			img->phdr_vaddr = s->vaddr + (img->phoff - s->offset);
			return 0;
		}
	}
	return -1;
}

int elf_parse_phdrs(struct elf_image *img, const unsigned char *buf,
		    size_t len, uint64_t file_size, uint64_t page_size,
		    char *err, size_t errsz)
{
	uint64_t pt_phdr = 0;
	bool has_phdr = false;
	unsigned int i;
	size_t k;

	if (len < (size_t)img->phnum * ELF_PHDR_SIZE) {
		snprintf(err, errsz, "truncated program headers");
		return -1;
	}
	img->max_align = page_size;
	for (i = 0; i < img->phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + (size_t)i * ELF_PHDR_SIZE, sizeof(ph));
		switch (ph.p_type) {
		case PT_LOAD:
			if (!ph.p_memsz)
				break;
			if (add_load(img, &ph, i, file_size, page_size, err,
				     errsz))
				return -1;
			break;
		case PT_INTERP:
			if (img->has_interp)
				break;	/* the first one counts, as for Linux */
			if (ph.p_filesz < 2 || ph.p_filesz > ELF_INTERP_MAX) {
				snprintf(err, errsz, "bad PT_INTERP: a path of "
					 "%" PRIu64 " bytes",
					 (uint64_t)ph.p_filesz);
				return -1;
			}
			if (ph.p_offset > file_size ||
			    ph.p_filesz > file_size - ph.p_offset) {
				snprintf(err, errsz, "PT_INTERP lies past the "
					 "end of the file");
				return -1;
			}
			img->has_interp = true;
			img->interp_offset = ph.p_offset;
			img->interp_len = ph.p_filesz;
			break;
		case PT_GNU_STACK:
			img->exec_stack = (ph.p_flags & PF_X) != 0;
			break;
		case PT_PHDR:
			has_phdr = true;
			pt_phdr = ph.p_vaddr;
			break;
		}
	}
	if (!img->nseg) {
		snprintf(err, errsz, "no PT_LOAD segment: nothing to load");
		return -1;
	}
	img->lo = elf_seg_start(&img->seg[0], page_size);
	img->hi = elf_seg_end(&img->seg[img->nseg - 1], page_size);
	for (k = 0; k < img->nseg; k++) {
		const struct elf_seg *s = &img->seg[k];

		if ((s->flags & PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			break;
	}
	if (k == img->nseg) {
		snprintf(err, errsz, "the entry point 0x%" PRIx64 " is not in "
			 "an executable segment", img->entry);
		return -1;
	}
	if (find_phdrs(img, pt_phdr, has_phdr)) {
		snprintf(err, errsz, "the program headers are not in a loaded "
			 "segment (AT_PHDR could not point at them)");
		return -1;
	}
	return 0;
}

int elf_check_interp(const char *buf, size_t len, char *err, size_t errsz)
{
	/* as Linux: NUL-terminated; the path ends at its first NUL */
	if (len < 2 || buf[len - 1] != '\0') {
		snprintf(err, errsz, "bad PT_INTERP: not a NUL-terminated "
			 "path");
		return -1;
	}
	if (!buf[0]) {
		snprintf(err, errsz, "bad PT_INTERP: an empty path");
		return -1;
	}
	return 0;
}

const char *elf_seg_label(const struct elf_seg *s)
{
	if (s->flags & PF_X)
		return "text";
	if (s->flags & PF_W)
		return s->filesz ? "data" : "bss";
	return "rodata";
}
