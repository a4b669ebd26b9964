/* Assembling an output directory beside its target (see stage.c). */
#ifndef UCPKI_SOLUTION_STAGE_H
#define UCPKI_SOLUTION_STAGE_H

#include <stdio.h>
#include <sys/types.h>

#include "ucpki/err.h"

struct stage {
	char out[2048];     /* the target */
	char dir[2304];     /* the staging directory beside it */
	char parent[2048];
	int active;
};

/* Refuse an OUT that exists but is not ours (an empty directory is fine). */
int stage_check_out(const char *out, struct ucpki_err *e);
int stage_new(struct stage *s, const char *out, struct ucpki_err *e);
/* Write rel (creating its directories; secrets/ is 0700) with mode. */
int stage_write(struct stage *s, const char *rel, const void *data, size_t len, mode_t mode,
                struct ucpki_err *e);
/* Keep OUT/rel as it is (hard link). */
int stage_link(struct stage *s, const char *rel, struct ucpki_err *e);
/* A stream for a file written piece by piece (the manifest). */
FILE *stage_open(struct stage *s, const char *rel, struct ucpki_err *e);
/* Flush everything and move the directory into place. */
int stage_commit(struct stage *s, struct ucpki_err *e);
void stage_abort(struct stage *s);
int stage_rmtree(const char *dir);

#endif
