/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the uapi's enumerations and bits (eventkinds.c, uapinames.c).
 */
#ifndef IVMA_UAPINAMES_H
#define IVMA_UAPINAMES_H

#include <stddef.h>
#include <stdint.h>

/* enum ivma_event_kind */
struct ivma_kind {
	unsigned int kind;
	const char *name;
	const char *desc;
};

extern const struct ivma_kind ivma_kinds[];
extern const size_t ivma_nkinds;

/* The name of event @kind, or NULL when it has none. */
const char *ivma_kind_name(unsigned int kind);
/* The table entry of event @kind, or NULL. */
const struct ivma_kind *ivma_kind_get(unsigned int kind);
/* The kind called @name, or -1. */
int ivma_kind_from_name(const char *name);

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

/* The name of the ioctl request @req ("IVMA_IOC_API", ...) or "ioctl". */
const char *ivma_ioctl_name(unsigned long req);

#endif /* IVMA_UAPINAMES_H */
