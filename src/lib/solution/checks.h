/* Rules that look across nodes and at the state (checks.c). */
#ifndef UCPKI_SOLUTION_CHECKS_H
#define UCPKI_SOLUTION_CHECKS_H

#include "solution/solution_internal.h"

/* --- who connects to whom ------------------------------------------------ */

/* 1 if the name in a profile's verify.clients means product p: its id, or
 * a group (uc = uc-*, phones = phone-*, gateways, branch/sbc/osb). */
int client_means(const char *client, const struct ucpki_profile *p);
/* 1 if some product of n lists product q among its clients. */
int node_serves(const struct inv_node *n, const struct ucpki_profile *q);
/* The first critical extension of x that p does not allow, into buf, or
 * NULL (p's critical-allowed rule; none when p has no such rule). */
const char *critical_not_allowed(X509 *x, const struct ucpki_profile *p, char *buf,
                                 size_t len);

/* --- revoked certificates in the state ----------------------------------- */

struct revoked {
	char **serials;
	int n, cap;
};

/* Every revoked serial of the state (st may be NULL: none). */
int revoked_load(struct ucpki_state *st, struct revoked *rv, struct ucpki_err *e);
int revoked_has(const struct revoked *rv, const char *serial);
void revoked_free(struct revoked *rv);

#endif
