// SPDX-License-Identifier: GPL-2.0
/*
 * The object that "ivma touch" creates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"

static int check_size(uint64_t size, uint64_t page_size, char *err,
		      size_t errsz)
{
	if (!size) {
		snprintf(err, errsz, "--size: the size must be greater than 0");
		return -1;
	}
	if (size & (page_size - 1)) {
		snprintf(err, errsz, "--size %" PRIu64 ": not a multiple of "
			 "the page size (%" PRIu64 ")", size, page_size);
		return -1;
	}
	return 0;
}

static int plan_file(const struct plan_args *a, struct ivma_config *cfg,
		     char *err, size_t errsz)
{
	uint64_t offset = a->has_offset ? a->offset : 0;
	uint64_t length, rounded;

	if (offset & (a->page_size - 1)) {
		snprintf(err, errsz, "--offset %" PRIu64 ": not page-aligned "
			 "(page size %" PRIu64 ")", offset, a->page_size);
		return -1;
	}
	if (a->has_length) {
		length = a->length;
		if (!length) {
			snprintf(err, errsz, "--length: the section length "
				 "must be greater than 0");
			return -1;
		}
		if (offset > a->file_size || length > a->file_size - offset) {
			snprintf(err, errsz, "the section (offset %" PRIu64
				 ", length %" PRIu64 ") extends past the end "
				 "of the file (size %" PRIu64 ")",
				 offset, length, a->file_size);
			return -1;
		}
	} else {
		if (offset >= a->file_size) {
			snprintf(err, errsz, "--offset %" PRIu64 ": at or past "
				 "the end of the file (size %" PRIu64 "): "
				 "the section would be empty",
				 offset, a->file_size);
			return -1;
		}
		length = a->file_size - offset;
	}

	if (length > UINT64_MAX - (a->page_size - 1)) {
		snprintf(err, errsz, "the file section is too large");
		return -1;
	}
	rounded = (length + a->page_size - 1) & ~(a->page_size - 1);
	if (a->has_size) {
		if (check_size(a->size, a->page_size, err, errsz))
			return -1;
		if (a->size < length) {
			snprintf(err, errsz, "--size %" PRIu64 ": smaller than "
				 "the file section (%" PRIu64 " bytes)",
				 a->size, length);
			return -1;
		}
		cfg->size = a->size;
	} else {
		cfg->size = rounded;
	}
	cfg->flags = IVMA_CONFIG_FILE;
	cfg->file_offset = offset;
	cfg->section_len = length;
	return 0;
}

int plan_object(const struct plan_args *a, struct ivma_config *cfg,
		char *err, size_t errsz)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fd = -1;

	if (a->file)
		return plan_file(a, cfg, err, errsz);

	if (a->has_offset || a->has_length) {
		snprintf(err, errsz, "--%s: only with --file",
			 a->has_offset ? "offset" : "length");
		return -1;
	}
	if (!a->has_size) {
		snprintf(err, errsz, "--size or --file is required");
		return -1;
	}
	if (check_size(a->size, a->page_size, err, errsz))
		return -1;
	cfg->size = a->size;
	return 0;
}
