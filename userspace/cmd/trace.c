// SPDX-License-Identifier: GPL-2.0
/*
 * ivma trace, record, report - the fault log live, into a capture, and
 * from a capture.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "common.h"
#include "evopts.h"
#include "originfmt.h"
#include "rec.h"
#include "recfmt.h"

enum trace_cmd_kind { CMD_TRACE, CMD_RECORD, CMD_REPORT };

struct trace_opts {
	struct evsrc_opts src;
	enum trace_format fmt;
	int json_doc;		/* -J: one JSON document */
	const char *columns;	/* trace, report -o */
	int table;		/* -o, -r or -n: a table of columns */
	struct rec_table tab;
	const char *output;	/* record -O */
	int header;		/* report --header */
	int origins;		/* report --origins */
};

enum {
	OPT_CSV = CHAR_MAX + 1,
	OPT_HEADER,
	OPT_ORIGINS,
	OPT_JSON_LINES,
};

/* The output options of trace and report, for their usage texts. */
#define TRACE_OUTPUT_USAGE \
" -o, --output <list>   a table of these columns (see below; +LIST adds\n" \
"                       to the default ones)\n" \
" -r, --raw             the table without alignment\n" \
" -n, --noheadings      the table without its header line\n" \
" -J, --json            one JSON document: {\"records\": [...]}\n" \
"     --json-lines      JSON Lines: one JSON object per record\n" \
"     --csv             CSV with a header line\n"

#define DEFAULT_CAPTURE	"ivma.rec"

void usage_trace(void)
{
	fputs(
"Usage:\n"
" ivma trace [options]\n"
"\n"
"Print the fault log of every ivma object live, one line per record:\n"
"time (s since the start), pid/tid, object, kind, access (r w x u s),\n"
"outcome when not ok, page offset, address, latency. Needs CAP_PERFMON or\n"
"CAP_SYS_ADMIN; 'ivma touch --trace' traces one's own object. Stops at\n"
"SIGINT or SIGTERM (or --count, --duration) with a summary on stderr.\n"
"The access letters: r read, w write, x execute (instruction fetch),\n"
"u from user mode, s a MAP_SHARED mapping (VMA records); - for each\n"
"one that is not set.\n"
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	fputs(evopt_usage_live, stdout);
	fputs(
"\n"
"Output:\n"
TRACE_OUTPUT_USAGE
" -d, --device <path>   the device\n"
" -h, --help            display this help\n"
"\n", stdout);
	rec_table_print_usage(stdout);
	print_usage("");
}

void usage_record(void)
{
	fputs(
"Usage:\n"
" ivma record [options]\n"
"\n"
"Write the fault log of every ivma object to a capture file, until\n"
"SIGINT or SIGTERM (or --count, --duration). Read it with 'ivma report',\n"
"'ivma stat -i', 'ivma heatmap -i', 'ivma export -i'.\n"
"\n"
"Options:\n"
" -O, --output-file <file>\n"
"                       the capture (default " DEFAULT_CAPTURE "; - for stdout;\n"
"                       -o and --output are its old, deprecated names)\n"
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	fputs(evopt_usage_live, stdout);
	print_usage(
" -d, --device <path>   the device\n"
" -h, --help            display this help\n");
}

void usage_report(void)
{
	fputs(
"Usage:\n"
" ivma report [options]\n"
"\n"
"Print the records of a capture as 'ivma trace' prints them live (see\n"
"'ivma trace --help' for the columns and the access letters).\n"
"\n"
"Options:\n"
" -i, --input <file>    the capture (default " DEFAULT_CAPTURE "; - for stdin)\n"
"     --header          print the capture's header instead\n"
"     --origins         print where each object came from instead (the\n"
"                       origins written by exec, run and touch)\n"
TRACE_OUTPUT_USAGE
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	rec_table_print_usage(stdout);
	print_usage("");
}

static void parse_options(int argc, char **argv, struct trace_opts *t,
			  enum trace_cmd_kind which)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		EVOPT_LONGOPTS,
		EVOPT_INPUT_LONGOPT,
		{ "json",	no_argument,		NULL, 'J' },
		{ "json-lines",	no_argument,		NULL, OPT_JSON_LINES },
		{ "csv",	no_argument,		NULL, OPT_CSV },
		{ "output",	required_argument,	NULL, 'o' },
		{ "output-file", required_argument,	NULL, 'O' },
		{ "raw",	no_argument,		NULL, 'r' },
		{ "noheadings",	no_argument,		NULL, 'n' },
		{ "header",	no_argument,		NULL, OPT_HEADER },
		{ "origins",	no_argument,		NULL, OPT_ORIGINS },
		{ NULL, 0, NULL, 0 }
	};
	const char *optstr = which == CMD_TRACE ? ":d:hVJo:rn" :
			     which == CMD_RECORD ? ":d:hVo:O:" : ":d:hVJi:o:rn";
	char msg[IVMA_ERRSZ];
	int c, nfmt = 0;

	memset(t, 0, sizeof(*t));
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstr, longopts, NULL)) != -1) {
		if (common_option(c, optarg, NULL))
			continue;
		if (evopt_parse(c, optarg, &t->src, which == CMD_REPORT)) {
			if (c == EVOPT_SIZE && which == CMD_REPORT)
				errusage("--size applies to live tracing "
					 "only");
			continue;
		}
		switch (c) {
		case 'J':
			if (which == CMD_RECORD)
				bad_option('?', argv);
			t->json_doc = 1;
			nfmt++;
			break;
		case OPT_JSON_LINES:
			if (which == CMD_RECORD)
				bad_option('?', argv);
			t->fmt = TRACE_JSON;
			nfmt++;
			break;
		case 'r':
			t->tab.raw = 1;
			t->table = 1;
			break;
		case 'n':
			t->tab.noheadings = 1;
			t->table = 1;
			break;
		case OPT_CSV:
			if (which == CMD_RECORD)
				bad_option('?', argv);
			t->fmt = TRACE_CSV;
			nfmt++;
			break;
		case 'o':
			if (which != CMD_RECORD) {
				t->columns = optarg;
				t->table = 1;
				break;
			}
			warn_old_output();
			/* fall through */
		case 'O':
			t->output = optarg;
			break;
		case OPT_HEADER:
			if (which != CMD_REPORT)
				bad_option('?', argv);
			t->header = 1;
			break;
		case OPT_ORIGINS:
			if (which != CMD_REPORT)
				bad_option('?', argv);
			t->origins = 1;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	if (nfmt > 1)
		errusage("--json, --json-lines and --csv are mutually "
			 "exclusive");
	if (t->table && nfmt)
		errusage("-o, -r and -n make a table: not with --json, "
			 "--json-lines or --csv");
	if (t->table && rec_table_init(&t->tab, t->columns, msg, sizeof(msg)))
		errarg("--output: %s", msg);
	if (t->header && t->origins)
		errusage("--header and --origins are mutually exclusive");
	if (which == CMD_REPORT && !t->src.input)
		t->src.input = DEFAULT_CAPTURE;
	if (which == CMD_RECORD && !t->output)
		t->output = DEFAULT_CAPTURE;
}

/* Prints the records of the source; returns the exit status. */
static int print_records(struct evsrc *src, const struct trace_opts *t)
{
	struct ivma_record rec;
	uint64_t n = 0;
	int rc = 0, w = 0;

	if (t->fmt == TRACE_CSV)
		printf("%s\n", trace_csv_header());
	else if (t->table)
		w = rec_table_header(stdout, &t->tab);
	else if (t->json_doc)
		w = trace_json_begin(stdout);
	while (!w && (rc = evsrc_next(src, &rec)) > 0) {
		uint64_t st = src->meta.start_ns;

		if (t->table)
			w = rec_table_row(stdout, &t->tab, &rec, st);
		else if (t->json_doc)
			w = trace_json_record(stdout, &rec, st, n++);
		else
			w = trace_print(stdout, t->fmt, &rec, st);
	}
	/* a write error: close_stdout() tells */
	if (w || (t->json_doc && trace_json_end(stdout)))
		return IVMA_EXIT_FAILURE;
	if (rc < 0) {
		fflush(stdout);
		warnx("%s", src->errmsg);
		return IVMA_EXIT_FAILURE;
	}
	return IVMA_EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts t;
	struct evsrc src;
	char comment[200];
	int status;

	parse_options(argc, argv, &t, CMD_TRACE);
	evsrc_open(&src, &t.src, command_line(argc, argv, comment,
					      sizeof(comment)), stdout);
	status = print_records(&src, &t);
	fflush(stdout);
	evsrc_summary(&src, "ivma trace");
	evsrc_close(&src);
	filter_free(&t.src.filter);
	return status;
}

int cmd_record(int argc, char **argv)
{
	const struct comm_table *comms;
	struct cap_writer w;
	struct trace_opts t;
	struct ivma_record rec;
	struct evsrc src;
	char comment[200], msg[512];
	const char *name;
	int rc, status = IVMA_EXIT_OK;
	size_t i;
	FILE *f;

	parse_options(argc, argv, &t, CMD_RECORD);
	if (strcmp(t.output, "-") == 0 && isatty(STDOUT_FILENO))
		errusage("refusing to write a binary capture to a terminal");
	evsrc_open(&src, &t.src, command_line(argc, argv, comment,
					      sizeof(comment)), NULL);
	if (strcmp(t.output, "-") == 0) {
		f = stdout;
		name = "<stdout>";
	} else {
		f = fopen(t.output, "we");
		if (!f)
			err(ivma_errno_status(errno), "%s: cannot create",
			    t.output);
		name = t.output;
	}
	if (cap_create(&w, f, &src.meta, msg, sizeof(msg)))
		errx(IVMA_EXIT_FAILURE, "%s: %s", name, msg);
	while ((rc = evsrc_next(&src, &rec)) > 0) {
		if (cap_write(&w, &rec, msg, sizeof(msg))) {
			warnx("%s: %s", name, msg);
			status = IVMA_EXIT_FAILURE;
			break;
		}
	}
	if (rc < 0) {
		warnx("%s", src.errmsg);
		status = IVMA_EXIT_FAILURE;
	}
	comms = evsrc_comms(&src);
	for (i = 0; i < comms->n; i++)
		if (cap_add_comm(&w, comms->v[i].pid, comms->v[i].tid,
				 comms->v[i].comm))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	if (cap_finish(&w, msg, sizeof(msg))) {
		warnx("%s: %s", name, msg);
		status = IVMA_EXIT_FAILURE;
	}
	if (f != stdout && fclose(f)) {
		warn("%s: write error", name);
		status = IVMA_EXIT_FAILURE;
	}
	evsrc_summary(&src, "ivma record");
	if (f != stdout)
		fprintf(stderr, "ivma record: written to %s\n", name);
	evsrc_close(&src);
	filter_free(&t.src.filter);
	return status;
}

static void print_header(const struct evsrc *src)
{
	const struct cap_meta *m = &src->meta;
	char when[64] = "?";
	time_t secs = (time_t)(m->start_realtime_ns / 1000000000ULL);
	struct tm tm;

	if (localtime_r(&secs, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	printf("format-version: %u\n", m->version);
	printf("record-size: %u\n", m->record_size);
	printf("record-version: %u\n", m->record_version);
	printf("page-size: %u\n", m->page_size);
	printf("system: %s %s %s\n", m->sysname, m->release, m->machine);
	printf("hostname: %s\n", m->hostname);
	printf("start: %s\n", when);
	printf("start-monotonic-ns: %" PRIu64 "\n", m->start_ns);
	if (m->nrecords == CAP_UNKNOWN)
		printf("records: unknown (written to a pipe or cut short)\n");
	else
		printf("records: %" PRIu64 "\n", m->nrecords);
	if (m->lost != CAP_UNKNOWN)
		printf("lost: %" PRIu64 "\n", m->lost);
	printf("source: %s%s\n", (m->flags & CAP_FLAG_SYSTEM) ?
	       "system-wide reader" : (m->flags & CAP_FLAG_OBJECT) ?
	       "one object's reader" : (m->flags & CAP_FLAG_OBJECTS) ?
	       "the readers of a command's objects" : "unknown",
	       (m->flags & CAP_FLAG_FILTERED) ? ", filtered" : "");
	printf("command: %s\n", m->comment);
	printf("origins: %zu\n", evsrc_origins(src)->n);
}

/* report --origins: the capture's origin table, in order. */
static int print_origins(struct evsrc *src, enum trace_format fmt)
{
	const struct origin_table *t;
	struct ivma_record rec;
	size_t i;
	int rc;

	/* a capture read from a pipe has its trailer at the end */
	while ((rc = evsrc_next(src, &rec)) > 0)
		;
	if (rc < 0) {
		warnx("%s", src->errmsg);
		return IVMA_EXIT_FAILURE;
	}
	t = evsrc_origins(src);
	if (fmt == TRACE_CSV)
		printf("%s\n", origin_csv_header());
	for (i = 0; i < t->n; i++)
		if (origin_print(stdout, fmt, &t->v[i], src->meta.start_ns))
			err(IVMA_EXIT_FAILURE, "write");
	return IVMA_EXIT_OK;
}

static void print_fields(const struct cap_reader *r)
{
	int k;

	for (k = 0; k < CAP_NF; k++) {
		if (r->off[k] < 0)
			printf("field: %s missing\n",
			       cap_native_fields[k].name);
		else
			printf("field: %s offset %d size %u\n",
			       cap_native_fields[k].name, r->off[k],
			       r->size[k]);
	}
}

int cmd_report(int argc, char **argv)
{
	struct trace_opts t;
	struct evsrc src;
	int status;

	parse_options(argc, argv, &t, CMD_REPORT);
	evsrc_open(&src, &t.src, NULL, NULL);
	if (t.header) {
		print_header(&src);
		print_fields(&src.cap);
		status = IVMA_EXIT_OK;
	} else if (t.origins) {
		/* origins as JSON: JSON Lines, -J or --json-lines */
		status = print_origins(&src, t.json_doc ? TRACE_JSON : t.fmt);
	} else {
		status = print_records(&src, &t);
	}
	evsrc_close(&src);
	filter_free(&t.src.filter);
	return status;
}
