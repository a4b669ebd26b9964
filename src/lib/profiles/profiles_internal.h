/* Private parts of the profiles module. */
#ifndef UCPKI_PROFILES_INTERNAL_H
#define UCPKI_PROFILES_INTERNAL_H

#include "ucpki/profiles.h"
#include "util/yaml.h"

/* Everything a set allocates is freed together. */
struct arena_block {
	struct arena_block *next;
	void *p;
};

struct ucpki_profile_set {
	struct ucpki_profile **v;  /* sorted by id once loading is done */
	int n, cap;
	struct yml **docs;         /* the YAML documents strings are borrowed from */
	int n_docs, cap_docs;
	struct arena_block *blocks;
};

/* calloc'ed memory owned by the set. */
void *set_alloc(struct ucpki_profile_set *s, size_t n, size_t size);
char *set_strdup(struct ucpki_profile_set *s, const char *str);

/* Parse one document into s (appending one profile). */
int profile_parse_into(struct ucpki_profile_set *s, const char *label, const char *id_hint,
                       const char *data, size_t len, struct ucpki_err *e);

#endif
