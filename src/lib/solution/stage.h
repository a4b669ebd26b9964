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
	int sealed;
};

/* Refuse an OUT that exists but is not ours (an empty directory is fine),
 * whose parent is missing or not writable, or whose files could not be
 * removed when it is replaced. */
int stage_check_out(const char *out, struct ucpki_err *e);

/* Staging directories left by runs that were killed: ".OUT.tmp-*" beside
 * OUT with a marker naming their process. A live one is left alone. A dead
 * one that was sealed (complete and flushed) and whose certificates the
 * state recorded (committed() returns 1) is moved into place: those
 * certificates are delivered, not issued again. Any other is removed (it
 * may hold keys and passwords). Each action is reported to note(). */
typedef int (*stage_committed_fn)(void *arg, const char *manifest_path);
typedef void (*stage_note_fn)(void *arg, const char *msg);
int stage_leftovers(const char *out, stage_committed_fn committed, void *arg,
                    stage_note_fn note, void *note_arg, struct ucpki_err *e);
/* Make every staged file durable and mark the directory complete; after
 * this, and once the state commits, the next run delivers it even if this
 * one dies before stage_commit(). */
int stage_seal(struct stage *s, struct ucpki_err *e);
int stage_new(struct stage *s, const char *out, struct ucpki_err *e);
/* Write rel (creating its directories; secrets/ is 0700) with mode. */
int stage_write(struct stage *s, const char *rel, const void *data, size_t len, mode_t mode,
                struct ucpki_err *e);
/* Keep OUT/rel as it is (hard link). */
int stage_link(struct stage *s, const char *rel, struct ucpki_err *e);
/* A stream for a file written piece by piece (the manifest). */
FILE *stage_open(struct stage *s, const char *rel, struct ucpki_err *e);
/* Move the sealed directory into place (flushing it first when not sealed). */
int stage_commit(struct stage *s, struct ucpki_err *e);
void stage_abort(struct stage *s);
int stage_rmtree(const char *dir);

#endif
