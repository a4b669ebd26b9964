/* Keystores (PKCS#12, JKS) and PKCS#7 bundles of a node. */
#include "solution/solution_internal.h"

int encode_store(const struct node_spec *s, const struct ucpki_profile_file *f,
                 const struct material *m, struct ucpki_buf *out, struct ucpki_err *e);

int encode_store(const struct node_spec *s, const struct ucpki_profile_file *f,
                 const struct material *m, struct ucpki_buf *out, struct ucpki_err *e)
{
	(void)s;
	(void)m;
	(void)out;
	return ucpki_err_set(e, UCPKI_E_INTERNAL,
	                     "%s containers need the keystore writers, not in this build",
	                     ucpki_container_name(f->container));
}
