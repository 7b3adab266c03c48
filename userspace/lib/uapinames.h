/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the uapi's bits (uapinames.c); libivma names the rest.
 */
#ifndef IVMA_UAPINAMES_H
#define IVMA_UAPINAMES_H

#include <stddef.h>
#include <stdint.h>

#include <ivma.h>

/*
 * The event kinds (struct ivma_kind, ivma_kind_table(), ivma_kind_get(),
 * ivma_kind_name(), ivma_kind_from_name()) and ivma_ioctl_name() are
 * libivma's (<ivma.h>).
 */

/* A named bit of a bit mask. */
struct bit_name {
	uint64_t bit;
	const char *name;
};

extern const struct bit_name ivma_feature_names[];	/* IVMA_FEATURE_* */
extern const size_t ivma_nfeature_names;
extern const struct bit_name ivma_ioctl_names[];	/* 1 << _IOC_NR */
extern const size_t ivma_nioctl_names;
extern const struct bit_name ivma_state_names[];	/* IVMA_STATE_* */
extern const size_t ivma_nstate_names;
extern const struct bit_name ivma_config_flag_names[];	/* IVMA_CONFIG_* */
extern const size_t ivma_nconfig_flag_names;

/*
 * bits_to_names - the names of the bits set in @bits, separated by ",";
 * bits without a name as "bitN"; @none when no bit is set.
 * Truncated (ending with "...") when @buf is too small. Returns @buf.
 */
char *bits_to_names(uint64_t bits, const struct bit_name *names, size_t n,
		    const char *none, char *buf, size_t bufsz);

#endif /* IVMA_UAPINAMES_H */
