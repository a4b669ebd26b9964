/* Probe one live endpoint and judge what it presents: what `probe` does
 * for one HOST:PORT and what a solution-wide probe does per node. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "ucpki/x509.h"
#include "verify/verify_internal.h"

void ucpki_endpoint_report_free(struct ucpki_endpoint_report *r)
{
	if (r == NULL)
		return;
	ucpki_tls_info_free(r->tls);
	ucpki_verdict_free(r->verdict);
	free(r);
}

static void describe_leaf(struct ucpki_endpoint_report *r, X509 *leaf)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	snprintf(r->leaf_serial, sizeof(r->leaf_serial), "%s", hex ? hex : "");
	cert_subject(leaf, r->leaf_subject, sizeof(r->leaf_subject));
	ucpki_asn1_time_to_t(X509_get0_notAfter(leaf), &r->leaf_not_after);
	OPENSSL_free(hex);
	BN_free(bn);
}

static void warn(struct ucpki_endpoint_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct ucpki_endpoint_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_warnings >= UCPKI_ENDPOINT_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->n_warnings++], sizeof(r->warnings[0]), fmt, ap);
	va_end(ap);
}

/* RFC 8446 4.4.2 / RFC 5246 7.4.2: each certificate should certify the one
 * before it; certificates that are not on the path are unneeded. */
static void chain_order(struct ucpki_endpoint_report *r)
{
	STACK_OF(X509) *sent = r->tls->chain, *path = r->verdict ? r->verdict->path : NULL;
	int n = sk_X509_num(sent);
	char subj[256], subj2[256];

	for (int i = 0; i < UCPKI_ENDPOINT_PATH_MAX; i++)
		r->path_presented[i] = -1;
	for (int i = 0; i < sk_X509_num(path) && i < UCPKI_ENDPOINT_PATH_MAX; i++)
		for (int k = 0; k < n && r->path_presented[i] < 0; k++)
			if (X509_cmp(sk_X509_value(path, i), sk_X509_value(sent, k)) == 0)
				r->path_presented[i] = k;
	for (int k = 1; k < n; k++) {
		X509 *prev = sk_X509_value(sent, k - 1), *x = sk_X509_value(sent, k);
		if (X509_check_issued(x, prev) != X509_V_OK)
			warn(r, "presented out of issuer order: [%d] \"%.200s\" does not issue [%d] \"%.200s\" "
			     "before it (TLS 1.3 clients accept any order; TLS 1.2 stacks and old phones "
			     "may not)", k, cert_subject(x, subj, sizeof(subj)), k - 1,
			     cert_subject(prev, subj2, sizeof(subj2)));
	}
	for (int k = 1; path && k < n; k++) {
		int used = 0;
		for (int i = 0; i < sk_X509_num(path) && i < UCPKI_ENDPOINT_PATH_MAX; i++)
			used |= r->path_presented[i] == k;
		if (!used)
			warn(r, "presented but not needed: [%d] \"%.200s\" is not on the path to the trusted CA",
			     k, cert_subject(sk_X509_value(sent, k), subj, sizeof(subj)));
	}
}

int ucpki_probe_endpoint(const struct ucpki_endpoint_opts *o, struct ucpki_verifier *v,
                         struct ucpki_endpoint_report **out, struct ucpki_err *e)
{
	struct ucpki_tls_client_opts co;
	struct ucpki_endpoint_report *r;
	struct ucpki_verify_req req;
	STACK_OF(X509) *rest = NULL;
	unsigned char addr[16];
	int alen;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	memset(&co, 0, sizeof(co));
	co.host = o->host;
	co.port = o->port;
	co.servername = o->servername;
	co.no_sni = o->no_sni;
	co.cert = o->client_cert;
	co.key = o->client_key;
	co.chain = o->client_chain;
	co.connect_timeout_ms = o->connect_timeout_ms;
	co.handshake_timeout_ms = o->handshake_timeout_ms;
	if (ucpki_tls_probe(&co, &r->tls, e) != 0)
		goto fail;
	describe_leaf(r, sk_X509_value(r->tls->chain, 0));
	if (v == NULL) {
		chain_order(r);
		*out = r;
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.leaf = sk_X509_value(r->tls->chain, 0);
	if ((rest = sk_X509_dup(r->tls->chain)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	(void)sk_X509_shift(rest);
	req.untrusted = rest;
	req.level = o->level;
	req.purpose = o->purpose;
	req.has_max_depth = o->has_max_depth;
	req.max_depth = o->max_depth;
	req.key_usage = o->key_usage;
	/* the name the client asked for is the identity it checks */
	if (o->identity_ip) {
		req.ip = o->identity_ip;
	} else if (o->identity_host) {
		req.host = o->identity_host;
	} else {
		const char *name = o->servername && *o->servername ? o->servername : o->host;
		if (ucpki_parse_ip(name, addr, &alen))
			req.ip = name;
		else
			req.host = name;
	}
	if (ucpki_verify(v, &req, &r->verdict, e) != 0)
		goto fail;
	chain_order(r);
	sk_X509_free(rest);
	*out = r;
	return 0;
fail:
	sk_X509_free(rest);
	ucpki_endpoint_report_free(r);
	return -1;
}
