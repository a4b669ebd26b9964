/* What a certificate request asks for (see ucpki/x509.h). */
#include <string.h>

#include <openssl/err.h>

#include "ucpki/x509.h"
#include "x509/x509_internal.h"

void ucpki_csr_request_clear(struct ucpki_csr_request *r)
{
	if (r == NULL)
		return;
	GENERAL_NAMES_free(r->sans);
	x509_ext_infos_free(r->ext, r->n_ext);
	memset(r, 0, sizeof(*r));
}

/* The value of extension nid in exts, decoded, or NULL (absent); *bad is
 * set when it is present but does not decode. */
static void *requested(const STACK_OF(X509_EXTENSION) *exts, int nid, int *bad)
{
	int crit = 0;
	void *v = X509V3_get_d2i(exts, nid, &crit, NULL);

	/* crit: -1 absent, -2 present more than once, else decoded (or not) */
	if (v == NULL && crit != -1)
		*bad = 1;
	return v;
}

int ucpki_csr_request_read(X509_REQ *req, const char *label, struct ucpki_csr_request *r,
                           struct ucpki_err *e)
{
	STACK_OF(X509_EXTENSION) *exts;
	BASIC_CONSTRAINTS *bc;
	int bad = 0;

	memset(r, 0, sizeof(*r));
	ERR_clear_error();
	if ((exts = X509_REQ_get_extensions(req)) == NULL) {
		if (ERR_peek_error() != 0)
			return ucpki_err_ssl(e, UCPKI_E_INPUT,
			                     "%s: the CSR's requested extensions do not decode", label);
		return 0; /* no request attribute at all */
	}
	r->sans = requested(exts, NID_subject_alt_name, &bad);
	if ((bc = requested(exts, NID_basic_constraints, &bad)) != NULL)
		r->ca = bc->ca != 0;
	BASIC_CONSTRAINTS_free(bc);
	if (bad) {
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
		ucpki_csr_request_clear(r);
		return ucpki_err_ssl(e, UCPKI_E_INPUT,
		                     "%s: a requested subjectAltName or basicConstraints does not "
		                     "decode (or is given twice)", label);
	}
	if (x509_ext_infos(exts, &r->ext, &r->n_ext) != 0) {
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
		ucpki_csr_request_clear(r);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return 0;
}
