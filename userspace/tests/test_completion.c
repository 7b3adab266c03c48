// SPDX-License-Identifier: GPL-2.0
/*
 * The bash completion (userspace/completion/ivma) against the tool it
 * completes for (build/ivma): commands, options and their values, as bash
 * would ask for them (COMP_WORDS, COMP_CWORD, then _ivma).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

#define SCRIPT	"userspace/completion/ivma"
#define TOOL	"build/ivma"

/*
 * The completions of the command line @words (the last one is the word
 * being completed), sorted, one space after each; NULL if bash failed.
 */
static char *complete_words(const char *words)
{
	char cmd[2048], *buf = NULL;
	size_t len = 0;
	FILE *p, *m;
	int c;

	snprintf(cmd, sizeof(cmd),
		 "bash --norc --noprofile -c '. " SCRIPT " && "
		 "COMP_WORDS=(%s) && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && "
		 "_ivma && for w in \"${COMPREPLY[@]}\"; do printf \"%%s\\\\n\" \"$w\"; done | "
		 "LC_ALL=C sort | tr \"\\n\" \" \"'", words);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		pclose(p);
		return NULL;
	}
	while ((c = fgetc(p)) != EOF)
		fputc(c, m);
	fclose(m);
	if (pclose(p)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool completes(const char *words, const char *want, bool exact,
		      int line)
{
	char *got = complete_words(words);
	bool ok = t_check(got && (exact ? !strcmp(got, want) :
				  strstr(got, want) != NULL), __FILE__, line,
			  "completing [%s]: got \"%s\", want %s\"%s\"", words,
			  got ? got : "(bash failed)", exact ? "" : "a part ",
			  want);

	free(got);
	return ok;
}

/* One case: the command line (its last word is completed) and what it
 * completes to (all of it, or a part when .part). */
struct ccase {
	const char *words, *want;
	bool part;
};

static void run_cases(const struct ccase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		completes(c[i].words, c[i].want, !c[i].part, __LINE__);
}

#define CASES(v)	run_cases(v, sizeof(v) / sizeof(v[0]))

static void test_commands_and_options(void)
{
	static const struct ccase c[] = {
		/* the commands, sim included: read from ivma --help */
		{ TOOL " s", "sim stat ", false },
		{ TOOL " tr", "trace ", false },
		{ TOOL " -d /dev/null tou", "touch ", false },
		{ TOOL " --v", "--version ", false },
		/* a command's options, from its --help */
		{ TOOL " touch --si", "--size ", false },
		{ TOOL " run --sw", "--swap ", false },
		{ TOOL " touch --", "--frames --help --hold --hold-socket ", true },
		{ TOOL " touch --", "--policy --raw --record --refs --repeat ", true },
		{ TOOL " trace --k", "--kind ", false },
		{ TOOL " heatmap --col", "--color ", false },
		{ TOOL " touch -", "--verbose -J -a -b -d -f -h -n -o -p -r -s -v ", true },
		/* and nothing that is not one */
		{ TOOL " touch --x", "", false },
	};

	REQUIRE(access(TOOL, X_OK) == 0 && access(SCRIPT, R_OK) == 0);
	CASES(c);
}

static void test_option_values(void)
{
	static const struct ccase c[] = {
		{ TOOL " touch --policy \"\"", "clock fifo lru ", false },
		{ TOOL " touch --mode r", "r rw ", false },
		{ TOOL " touch --map p", "private ", false },
		{ TOOL " heatmap --color=a", "always auto ", false },
		{ TOOL " trace --kind swap-", "swap-in swap-out swap-quota ", false },
		/* a number: nothing to offer */
		{ TOOL " touch --frames \"\"", "", false },
		/* a file */
		{ TOOL " report -i " SCRIPT, SCRIPT " ", false },
		{ TOOL " touch -f " SCRIPT, SCRIPT " ", false },
		/* a flag does not take the next word: an operand, none for touch */
		{ TOOL " touch --trace \"\"", "", false },
	};

	CASES(c);
}

static void test_programs(void)
{
	static const struct ccase c[] = {
		/* exec and run: the program, after the options or after -- */
		{ TOOL " exec --frames 4 --trace tru", "true ", true },
		{ TOOL " run --anon -- tru", "true ", true },
		/* then the program's own arguments: files, not ivma's options */
		{ TOOL " exec --frames 4 /bin/ls " SCRIPT, SCRIPT " ", false },
		{ TOOL " run --anon -- ls --fr", "", false },
		{ TOOL " exec --fr", "--frames ", false },
	};

	CASES(c);
}

void suite_completion(void)
{
	RUN(test_commands_and_options);
	RUN(test_option_values);
	RUN(test_programs);
}
