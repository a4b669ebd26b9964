/* Probe one live endpoint and judge what it presents: what `probe` does
 * for one HOST:PORT and what a solution-wide probe does per node. */
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
	/* the name the client asked for is the identity it checks */
	{
		const char *name = o->servername && *o->servername ? o->servername : o->host;
		if (ucpki_parse_ip(name, addr, &alen))
			req.ip = name;
		else
			req.host = name;
	}
	if (ucpki_verify(v, &req, &r->verdict, e) != 0)
		goto fail;
	sk_X509_free(rest);
	*out = r;
	return 0;
fail:
	sk_X509_free(rest);
	ucpki_endpoint_report_free(r);
	return -1;
}
