// SPDX-License-Identifier: GPL-2.0
/*
 * ivma exec on programs the project did not write, taken from the guest's
 * Debian system: a static (busybox), a static-pie (ldconfig), a dynamic
 * non-PIE (gcc) and a dynamic PIE (ls) executable. Each gives the same
 * stdout and exit status as when run directly; its capture holds the
 * file-read records of its text (exec accesses), exactly as many of each
 * kind as the objects' counters say; with a small --frames the output is
 * the same and the capture shows evictions and re-reads. Then the exit
 * status and signals, what the process looks like (/proc, auxv), and
 * every kind of bad input: status 2, a precise message, nothing mapped.
 */
#include <elf.h>
#include <limits.h>
#include <signal.h>

#include <sys/prctl.h>

#include "kselftest_harness.h"
#include "ivma_test.h"
#include "ivma_tool.h"

/* the tests' JSON parser, shared with the tool's unit tests */
#include "../userspace/tests/tjson.c"

#define OUT	"/tmp/ivma-exec-out"
#define ERR	"/tmp/ivma-exec-err"
#define OUT2	"/tmp/ivma-exec-out2"
#define ERR2	"/tmp/ivma-exec-err2"
#define CAP	"/tmp/ivma-exec.rec"
#define BAD	"/tmp/ivma-exec-bad"
#define NOTELF	"/tmp/ivma-exec-int"	/* fits ls's PT_INTERP */

#define MAXARGS	16

/* Runs @bin with @argv (NULL-terminated) into @out and @err. */
static int run(const char *bin, char *const argv[], const char *out,
	       const char *err)
{
	return wait_status(spawn_as(bin, argv, out, err, 0));
}

/* ivma exec [@opts...] -- @prog @args...: its status. */
static int run_exec(const char *const *opts, const char *prog,
		    const char *const *args, const char *out, const char *err)
{
	char *argv[2 * MAXARGS + 4];
	int n = 0, i;

	argv[n++] = "ivma";
	argv[n++] = "exec";
	for (i = 0; opts && opts[i]; i++)
		argv[n++] = (char *)opts[i];
	argv[n++] = "--";
	argv[n++] = (char *)prog;
	for (i = 1; args[i]; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	return run(ivma_path(), argv, out, err);
}

/* The ELF type of @path and whether it has a PT_INTERP; -1 on error. */
static int elf_kind(const char *path, bool *interp)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i, type = -1;

	*interp = false;
	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		type = eh.e_type;
		for (i = 0; i < eh.e_phnum; i++)
			if (pread(fd, &ph, sizeof(ph), eh.e_phoff +
				  (off_t)i * sizeof(ph)) == sizeof(ph) &&
			    ph.p_type == PT_INTERP)
				*interp = true;
	}
	close(fd);
	return type;
}

/* --- the capture, through ivma report --csv --- */

struct rec {
	unsigned int pid;
	unsigned long long object, pgoff;
	char kind[16], access[8];
};

struct orig {
	unsigned long long object, size, offset, length;
	char kind[8], label[32], path[PATH_MAX];
};

/* the records of CAP (loss notices as kind "lost"); their count or -1 */
static int read_records(struct rec **out)
{
	char *argv[] = { "ivma", "report", "-i", CAP, "--csv", NULL };
	char *s, *line, *save = NULL;
	int n = 0, cap = 0;

	*out = NULL;
	if (run(ivma_path(), argv, OUT2, ERR2))
		return -1;
	s = slurp(OUT2);
	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct rec r;

		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%*[^,],%*[^,],%u,%*[^,],%llu,%15[^,],%7[^,],"
			   "%*[^,],%llu", &r.pid, &r.object, r.kind, r.access,
			   &r.pgoff) != 5)
			continue;	/* the header line */
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				break;
		}
		(*out)[n++] = r;
	}
	free(s);
	return *out || !n ? n : -1;
}

/* the origins of CAP; their count or -1 */
static int read_origins(struct orig *v, int max)
{
	char *argv[] = { "ivma", "report", "-i", CAP, "--origins", "--csv",
			 NULL };
	char *s, *line, *save = NULL;
	int n = 0;

	if (run(ivma_path(), argv, OUT2, ERR2))
		return -1;
	s = slurp(OUT2);
	for (line = strtok_r(s, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct orig *o = &v[n];

		memset(o, 0, sizeof(*o));
		/* time,object,pid,comm,program,kind,label,path,off,len,size */
		if (sscanf(line, "%*[^,],%llu,%*[^,],%*[^,],%*[^,],%7[^,],"
			   "%31[^,],", &o->object, o->kind, o->label) != 3)
			continue;
		{
			/* the path may be empty: count the commas */
			const char *p = line;
			int commas = 0;

			while (*p && commas < 7)
				commas += *p++ == ',';
			sscanf(p, "%4095[^,]", o->path);
			while (*p && *p != ',')
				p++;
			sscanf(p, ",%llu,%llu,%llu", &o->offset, &o->length,
			       &o->size);
		}
		n++;
	}
	free(s);
	return n;
}

static int count_recs(const struct rec *r, int n, unsigned long long obj,
		      const char *kind)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += r[i].object == obj && !strcmp(r[i].kind, kind);
	return c;
}

/* --- the programs --- */

FIXTURE(prog) {
	char path[PATH_MAX];
	char *direct_out;
	int direct_status;
};

FIXTURE_VARIANT(prog) {
	const char *path;		/* resolved with realpath() */
	const char *const args[MAXARGS];	/* argv, argv[0] included */
	int type;			/* ET_EXEC or ET_DYN */
	bool interp;
};

FIXTURE_VARIANT_ADD(prog, static) {
	.path = "/bin/busybox",
	.args = { "busybox", "md5sum", "/etc/os-release", NULL },
	.type = ET_EXEC, .interp = false,
};

FIXTURE_VARIANT_ADD(prog, static_pie) {
	.path = "/sbin/ldconfig",
	.args = { "ldconfig", "-p", NULL },
	.type = ET_DYN, .interp = false,
};

FIXTURE_VARIANT_ADD(prog, dynamic) {
	.path = "/usr/bin/gcc",
	.args = { "gcc", "--version", NULL },
	.type = ET_EXEC, .interp = true,
};

FIXTURE_VARIANT_ADD(prog, pie) {
	.path = "/usr/bin/ls",
	.args = { "ls", "-l", "/usr/lib/x86_64-linux-gnu/gconv", NULL },
	.type = ET_DYN, .interp = true,
};

FIXTURE_SETUP(prog)
{
	const char *argv[MAXARGS];
	bool interp;

	ASSERT_NE(NULL, realpath(variant->path, self->path))
		TH_LOG("%s: %s", variant->path, strerror(errno));
	/* the kind of program this variant is about */
	ASSERT_EQ(variant->type, elf_kind(self->path, &interp))
		TH_LOG("%s is not of ELF type %d", self->path, variant->type);
	ASSERT_EQ(variant->interp, interp);
	/* argv[0] as ivma exec passes it: the program's path */
	memcpy(argv, variant->args, sizeof(argv));
	argv[0] = self->path;
	self->direct_status = run(self->path, (char *const *)argv, OUT, ERR);
	self->direct_out = slurp(OUT);
	ASSERT_LT(0, (int)strlen(self->direct_out));
}

FIXTURE_TEARDOWN(prog)
{
	free(self->direct_out);
}

TEST_F_TIMEOUT(prog, same_output_and_status, 300)
{
	static const char *const counters[] = { "--counters", NULL };
	char *out;

	/* in place: ivma becomes the program */
	EXPECT_EQ(self->direct_status,
		  run_exec(NULL, self->path, variant->args, OUT, ERR))
		TH_LOG("%s", slurp(ERR));
	out = slurp(OUT);
	EXPECT_STREQ(self->direct_out, out);
	free(out);
	/* in a child, ivma waiting */
	EXPECT_EQ(self->direct_status,
		  run_exec(counters, self->path, variant->args, OUT, ERR));
	out = slurp(OUT);
	EXPECT_STREQ(self->direct_out, out);
	free(out);
}

/*
 * The records of the capture against the counters of the objects: the
 * counts of each kind are exact (one reader per object, nothing lost).
 */
static void check_capture(struct __test_metadata *_metadata,
			  const char *path, bool interp, bool paged)
{
	static const char *const kinds[][2] = {
		{ "file-read", "file-read" }, { "zero-fill", "zero-fill" },
		{ "zero-pad", "zero-pad" }, { "cow", "cow" },
		{ "evict", "evict" },
	};
	struct orig og[64];
	struct rec *r = NULL;
	const struct jv *objs;
	struct jv *doc;
	char msg[128], *err;
	int n, no, i, k, texts = 0, xreads = 0, evicts = 0, rereads = 0;
	unsigned long long npages;
	unsigned int *reads;
	size_t j;

	err = slurp(ERR);
	doc = jv_parse(err, msg, sizeof(msg));
	ASSERT_NE(NULL, doc) TH_LOG("%s: %s", msg, err);
	objs = jv_get(doc, "objects");
	ASSERT_NE(NULL, objs);
	n = read_records(&r);
	ASSERT_LT(0, n);
	no = read_origins(og, 64);
	/* an origin per segment and the stack, as many as objects */
	ASSERT_EQ((int)objs->n, no);
	for (i = 0; i < n; i++)
		ASSERT_STRNE("lost", r[i].kind);
	for (j = 0; j < objs->n; j++) {
		const struct jv *o = objs->items[j];
		unsigned long long id = (unsigned long long)jv_num(o, "object");
		const char *label = jv_str(o, "label");

		EXPECT_EQ(id, og[j].object);
		EXPECT_STREQ(label, og[j].label);
		for (k = 0; k < (int)ARRAY_SIZE(kinds); k++)
			EXPECT_EQ(jv_num(o, kinds[k][1]),
				  count_recs(r, n, id, kinds[k][0]))
				TH_LOG("object %llu (%s): %s", id, label,
				       kinds[k][0]);
		evicts += count_recs(r, n, id, "evict");
		if (strcmp(label, "stack") == 0) {
			EXPECT_STREQ("anon", og[j].kind);
			continue;
		}
		EXPECT_STREQ("elf", og[j].kind);
		if (strcmp(label, "text") != 0)
			continue;
		/* the program's text: read from its file on execution */
		texts++;
		EXPECT_STREQ(path, og[j].path);
		npages = og[j].size / (unsigned long long)ivma_page_size();
		reads = calloc(npages + 1, sizeof(*reads));
		ASSERT_NE(NULL, reads);
		for (i = 0; i < n; i++) {
			if (r[i].object != id || strcmp(r[i].kind, "file-read"))
				continue;
			EXPECT_EQ('x', r[i].access[2]) TH_LOG("pgoff %llu",
							      r[i].pgoff);
			ASSERT_GT(npages, r[i].pgoff);
			xreads++;
			rereads += reads[r[i].pgoff]++ > 0;
		}
		free(reads);
	}
	EXPECT_EQ(1, texts);
	EXPECT_LT(0, xreads);
	if (interp) {
		for (i = 0; i < no; i++)
			if (!strcmp(og[i].label, "interp text"))
				break;
		EXPECT_LT(i, no) TH_LOG("no interpreter text object");
	}
	if (paged) {
		EXPECT_LT(0, evicts);
		EXPECT_LT(0, rereads) TH_LOG("no text page read twice");
	} else {
		EXPECT_EQ(0, evicts);
		EXPECT_EQ(0, rereads);
	}
	jv_free(doc);
	free(r);
	free(err);
}

TEST_F_TIMEOUT(prog, capture_has_text_file_reads, 300)
{
	static const char *const opts[] = { "--record", CAP, "--counters",
					    "-J", NULL };
	char *out;

	EXPECT_EQ(self->direct_status,
		  run_exec(opts, self->path, variant->args, OUT, ERR));
	out = slurp(OUT);
	EXPECT_STREQ(self->direct_out, out);
	free(out);
	check_capture(_metadata, self->path, variant->interp, false);
	unlink(CAP);
}

/* 16 frames: each segment's object pages in and out under the program */
TEST_F_TIMEOUT(prog, small_budget_evicts_and_rereads, 300)
{
	static const char *const opts[] = { "--frames", "16", "--record", CAP,
					    "--counters", "-J", NULL };
	char *out;

	EXPECT_EQ(self->direct_status,
		  run_exec(opts, self->path, variant->args, OUT, ERR));
	out = slurp(OUT);
	EXPECT_STREQ(self->direct_out, out);
	free(out);
	check_capture(_metadata, self->path, variant->interp, true);
	unlink(CAP);
}

/* --- the process --- */

FIXTURE(misc) {
};

FIXTURE_SETUP(misc)
{
}

FIXTURE_TEARDOWN(misc)
{
}

static const char *const SEGV[] = { "busybox", "sh", "-c", "kill -SEGV $$",
				    NULL };

TEST_F_TIMEOUT(misc, exit_status_and_signals, 300)
{
	/* argv[0] as ivma exec passes it: the program's path */
	static const char *const ls[] = { "/usr/bin/ls", "/nonexistent",
					  NULL };
	static const char *const counters[] = { "--counters", NULL };
	char *direct, *under;

	ASSERT_EQ(2, run("/usr/bin/ls", (char *const *)ls, OUT, ERR));
	direct = slurp(ERR);
	EXPECT_EQ(2, run_exec(NULL, "/usr/bin/ls", ls, OUT, ERR));
	under = slurp(ERR);
	EXPECT_STREQ(direct, under);
	free(direct);
	free(under);
	/* a signal: the process dies of it, ivma's child or ivma itself */
	EXPECT_EQ(128 + SIGSEGV, run("/bin/busybox", (char *const *)SEGV,
				     OUT, ERR));
	EXPECT_EQ(128 + SIGSEGV, run_exec(NULL, "/bin/busybox", SEGV, OUT,
					  ERR));
	EXPECT_EQ(128 + SIGSEGV, run_exec(counters, "/bin/busybox", SEGV, OUT,
					  ERR));
}

/* The lines of LD_SHOW_AUXV output, "AT_NAME: value", one per entry. */
static int auxv_lines(const char *s, char names[][32], char vals[][96],
		      int max)
{
	int n = 0;

	while (*s && n < max) {
		if (sscanf(s, "%31[A-Z0-9_]: %95[^\n]", names[n], vals[n]) == 2)
			n++;
		s = strchr(s, '\n');
		if (!s)
			break;
		s++;
	}
	return n;
}

/*
 * Whether prctl(PR_SET_MM, PR_SET_MM_MAP) exists: only with
 * CONFIG_CHECKPOINT_RESTORE (Debian's kernels; not the debug kernel), else
 * EINVAL for PR_SET_MM_MAP_SIZE too.
 */
static bool set_mm_map_works(void)
{
	unsigned int size = 0;

	return !prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, (unsigned long)&size, 0, 0);
}

TEST_F_TIMEOUT(misc, process_looks_the_same, 300)
{
	static const char *const cmdline[] = { "/usr/bin/cat",
					       "/proc/self/cmdline", NULL };
	static const char *const comm[] = { "busybox", "cat",
					    "/proc/self/comm", NULL };
	static const char *const exe[] = { "readlink", "/proc/self/exe",
					   NULL };
	static const char *const auxv[] = { "true", NULL };
	/* the same on every start: not addresses, not random bytes */
	static const char *const same[] = {
		"AT_MINSIGSTKSZ", "AT_HWCAP", "AT_PAGESZ", "AT_CLKTCK",
		"AT_PHENT", "AT_PHNUM", "AT_FLAGS", "AT_UID", "AT_EUID",
		"AT_GID", "AT_EGID", "AT_SECURE", "AT_HWCAP2", "AT_EXECFN",
		"AT_PLATFORM",
	};
	char dn[32][32], dv[32][96], un[64][32], uv[64][96];
	char *a, *b;
	int nd, nu, i, k;

	/* argv (the program's own, in /proc from a copy), comm, exe */
	ASSERT_EQ(0, run("/usr/bin/cat", (char *const *)cmdline, OUT, ERR));
	a = slurp(OUT);
	ASSERT_EQ(0, run_exec(NULL, "/usr/bin/cat", cmdline, OUT, ERR));
	b = slurp(OUT);
	EXPECT_EQ(0, memcmp(a, "/usr/bin/cat\0/proc/self/cmdline",
			    sizeof("/usr/bin/cat\0/proc/self/cmdline")));
	if (set_mm_map_works()) {
		EXPECT_EQ(0, memcmp(a, b, sizeof("/usr/bin/cat\0/proc/self/cmdline")));
	} else {
		/* no CONFIG_CHECKPOINT_RESTORE (the debug kernel): ivma's own */
		static const char own[] = "ivma\0exec\0--\0/usr/bin/cat\0/proc/self/cmdline";

		TH_LOG("no PR_SET_MM_MAP in this kernel: cmdline is ivma's");
		EXPECT_EQ(0, memcmp(b, own, sizeof(own)));
	}
	free(a);
	free(b);
	ASSERT_EQ(0, run_exec(NULL, "/bin/busybox", comm, OUT, ERR));
	b = slurp(OUT);
	EXPECT_STREQ("busybox\n", b);
	free(b);
	ASSERT_EQ(0, run_exec(NULL, "/usr/bin/readlink", exe, OUT, ERR));
	b = slurp(OUT);
	EXPECT_STREQ("/usr/bin/readlink\n", b);	/* as root: replaced */
	free(b);

	/* the auxiliary vector, as ld.so prints it */
	setenv("LD_SHOW_AUXV", "1", 1);
	ASSERT_EQ(0, run("/usr/bin/true", (char *const *)auxv, OUT, ERR));
	a = slurp(OUT);
	ASSERT_EQ(0, run_exec(NULL, "/usr/bin/true", auxv, OUT, ERR));
	b = slurp(OUT);
	unsetenv("LD_SHOW_AUXV");
	nd = auxv_lines(a, dn, dv, 32);
	/* ivma's own ld.so prints ivma's first, then the program's */
	nu = auxv_lines(b, un, uv, 64);
	ASSERT_LT(15, nd);
	/* the same entries, in the same order */
	ASSERT_EQ(2 * nd, nu) TH_LOG("direct:\n%s\nunder ivma:\n%s", a, b);
	for (i = 0; i < nd; i++) {
		const char *v = uv[nd + i];

		EXPECT_STREQ(dn[i], un[nd + i]);
		for (k = 0; k < (int)ARRAY_SIZE(same); k++)
			if (!strcmp(dn[i], same[k]))
				EXPECT_STREQ(dv[i], v) TH_LOG("%s", dn[i]);
		if (!strcmp(dn[i], "AT_BASE") || !strcmp(dn[i], "AT_ENTRY") ||
		    !strcmp(dn[i], "AT_PHDR") || !strcmp(dn[i], "AT_RANDOM"))
			EXPECT_STRNE("0x0", v) TH_LOG("%s", dn[i]);
	}
	free(a);
	free(b);
}

/* --- bad input --- */

static unsigned char *read_whole(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size);
	if (buf && pread(fd, buf, st.st_size, 0) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

static int write_file(const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd) || chmod(path, mode);
}

/* the index-th PT_LOAD (or PT_INTERP with @type) of the image @b */
static Elf64_Phdr *phdr(unsigned char *b, unsigned int type, int index)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(b + eh->e_phoff) + i;

		if (ph->p_type == type && index-- == 0)
			return ph;
	}
	return NULL;
}

enum bad_case {
	B_NOTELF, B_CLASS, B_MACHINE, B_TRUNCATED, B_FILESZ, B_MISALIGNED,
	B_OVERLAP, B_NO_INTERP, B_INTERP_NOTELF, B_NOEXEC, B_N
};

static const char *const bad_msg[B_N] = {
	[B_NOTELF] = BAD ": not an ELF file (no ELF magic)",
	[B_CLASS] = BAD ": wrong class: a 32-bit ELF file",
	[B_MACHINE] = BAD ": wrong machine: AArch64 (ivma exec runs x86-64 "
		      "programs)",
	[B_TRUNCATED] = ") lies past the end of the file (65536 bytes)",
	[B_FILESZ] = BAD ": segment 5: p_filesz 0x",
	[B_MISALIGNED] = BAD ": segment 3 is misaligned: p_vaddr 0x",
	[B_OVERLAP] = BAD ": segments 3 and 4 overlap: [0x",
	[B_NO_INTERP] = BAD ": its interpreter /lib64/ld-ivma-none.so: "
			"cannot open: No such file or directory",
	[B_INTERP_NOTELF] = BAD ": its interpreter " NOTELF ": not an ELF "
			    "file (no ELF magic)",
	[B_NOEXEC] = BAD ": permission denied: no execute permission",
};

/* /usr/bin/ls made bad in way @c, as BAD */
static int make_bad(enum bad_case c, const unsigned char *ls, size_t len)
{
	static const char script[] = "#!/bin/sh\necho hi\n";
	unsigned char *b = malloc(len);
	Elf64_Phdr *p3, *p4;
	size_t n = len;
	mode_t mode = 0755;
	int rc;

	if (!b)
		return -1;
	memcpy(b, ls, len);
	p3 = phdr(b, PT_LOAD, 1);	/* program header 3: the text */
	p4 = phdr(b, PT_LOAD, 2);
	switch (c) {
	case B_NOTELF:
		memcpy(b, script, sizeof(script));
		n = sizeof(script) - 1;
		break;
	case B_CLASS:
		b[EI_CLASS] = ELFCLASS32;
		break;
	case B_MACHINE:
		((Elf64_Ehdr *)b)->e_machine = EM_AARCH64;
		break;
	case B_TRUNCATED:
		n = 65536;
		break;
	case B_FILESZ:
		p4 = phdr(b, PT_LOAD, 3);
		p4->p_filesz = p4->p_memsz + 0x1000;
		break;
	case B_MISALIGNED:
		p3->p_vaddr += 0x10;
		break;
	case B_OVERLAP:
		/* in the text's last page, still congruent with its offset */
		p4->p_vaddr = ((p3->p_vaddr + p3->p_memsz - 1) & ~0xfffULL) |
			      (p4->p_offset & 0xfff);
		break;
	case B_NO_INTERP:
		strcpy((char *)b + phdr(b, PT_INTERP, 0)->p_offset,
		       "/lib64/ld-ivma-none.so");
		break;
	case B_INTERP_NOTELF:
		strcpy((char *)b + phdr(b, PT_INTERP, 0)->p_offset, NOTELF);
		break;
	case B_NOEXEC:
		mode = 0644;
		break;
	default:
		break;
	}
	rc = write_file(BAD, b, n, mode);
	free(b);
	return rc;
}

TEST_F_TIMEOUT(misc, bad_input_status_2_nothing_mapped, 300)
{
	static const char *const args[] = { "ls", NULL };
	static const char *const none[] = { NULL };
	static const char script[] = "#!/bin/sh\necho hi\n";
	struct ivma_record recs[256];
	unsigned char *ls;
	size_t len;
	ssize_t nrec;
	int c, carrier, lfd, i;
	char *err;

	ls = read_whole("/usr/bin/ls", &len);
	ASSERT_NE(NULL, ls);
	ASSERT_EQ(0, write_file(NOTELF, script, sizeof(script) - 1, 0755));
	/* every record of every object, while the bad runs go */
	carrier = ivma_open();
	ASSERT_LE(0, carrier);
	lfd = ivma_log_open(carrier, IVMA_LOG_SYSTEM, 0);
	ASSERT_LE(0, lfd);
	for (c = 0; c < B_N; c++) {
		ASSERT_EQ(0, make_bad(c, ls, len));
		EXPECT_EQ(2, run_exec(none, BAD, args, OUT, ERR))
			TH_LOG("case %d", c);
		err = slurp(ERR);
		EXPECT_NE(NULL, strstr(err, bad_msg[c]))
			TH_LOG("case %d: \"%s\" lacks \"%s\"", c, err,
			       bad_msg[c]);
		free(err);
	}
	/* and options ivma refuses */
	{
		static const char *const lru[] = { "--policy", "lru", NULL };
		static const char *const one[] = { "--frames", "1", NULL };

		EXPECT_EQ(2, run_exec(lru, "/usr/bin/ls", args,
						    OUT, ERR));
		err = slurp(ERR);
		EXPECT_NE(NULL, strstr(err, "--policy lru: exact LRU keeps "
				       "one page of an object mapped"));
		free(err);
		EXPECT_EQ(2, run_exec(one, "/usr/bin/ls", args,
						    OUT, ERR));
		err = slurp(ERR);
		EXPECT_NE(NULL, strstr(err, "--frames: at least 2"));
		free(err);
	}
	/* nothing was created, let alone mapped */
	nrec = ivma_log_drain(lfd, recs, ARRAY_SIZE(recs));
	EXPECT_EQ(0, nrec);
	for (i = 0; i < nrec; i++)
		TH_LOG("record of kind %u, object %llu", recs[i].kind,
		       (unsigned long long)recs[i].object);
	close(lfd);
	close(carrier);
	unlink(BAD);
	unlink(NOTELF);
	free(ls);
}

TEST_HARNESS_MAIN
