/* Revocation: CRLs given or fetched from the distribution points, OCSP for
 * the leaf from the given responder or the AIA extension. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ucpki/ca.h"
#include "ucpki/formats.h"
#include "ucpki/x509.h"
#include "verify/verify_internal.h"

#define OCSP_LEEWAY 300          /* seconds of clock skew tolerated */
#define OCSP_MAXAGE_NO_NONCE 86400 /* a response without nonce and nextUpdate */

/* --- CRLs --------------------------------------------------------------- */

/* The first http:// URI of x's CRL distribution points, or NULL. Free with
 * free(). */
static char *crl_dp_url(X509 *x)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	char *url = NULL;

	for (int i = 0; dps && i < sk_DIST_POINT_num(dps) && !url; i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (int k = 0; k < sk_GENERAL_NAME_num(dp->distpoint->name.fullname) && !url; k++) {
			int type;
			const ASN1_IA5STRING *s =
				GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(dp->distpoint->name.fullname, k), &type);
			if (type == GEN_URI && ASN1_STRING_length(s) > 7 &&
			    strncasecmp((const char *)ASN1_STRING_get0_data(s), "http://", 7) == 0)
				url = strndup((const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return url;
}

static int fetch_crl(struct ucpki_verifier *v, const char *url, struct ucpki_err *e)
{
	struct ucpki_http_response r;
	struct ucpki_pack *p;
	X509_CRL *crl;
	struct fetched *f;

	for (int i = 0; i < v->n_fetched; i++)
		if (strcmp(v->fetched[i].url, url) == 0)
			return 0;
	if (ucpki_http_fetch(url, NULL, NULL, 0, v->o.max_fetch, v->o.timeout_ms, &r, e) != 0) {
		ucpki_err_prefix(e, "cannot fetch the CRL: ");
		return -1;
	}
	p = ucpki_pack_load_mem(r.body, r.body_len, url, NULL, e);
	ucpki_http_response_clear(&r);
	if (p == NULL || (crl = ucpki_pack_first_crl(p)) == NULL) {
		if (p)
			ucpki_err_set(e, UCPKI_E_INPUT, "%s: the answer is not a CRL", url);
		else
			ucpki_err_set(e, UCPKI_E_INPUT, "%s: the answer is not a CRL (%s)", url, "unreadable");
		ucpki_pack_free(p);
		return -1;
	}
	if (v->n_fetched == v->cap_fetched) {
		int cap = v->cap_fetched ? v->cap_fetched * 2 : 4;
		struct fetched *n = realloc(v->fetched, (size_t)cap * sizeof(*n));
		if (n == NULL)
			goto oom;
		v->fetched = n;
		v->cap_fetched = cap;
	}
	f = &v->fetched[v->n_fetched];
	if ((f->url = strdup(url)) == NULL || !X509_CRL_up_ref(crl)) {
		free(f->url);
		goto oom;
	}
	f->crl = crl;
	v->n_fetched++;
	if (verifier_add_crl(v, crl, url, 0, e) != 0) {
		ucpki_pack_free(p);
		return -1;
	}
	ucpki_pack_free(p);
	return 0;
oom:
	ucpki_pack_free(p);
	return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

/* CRL extensions we understand when critical. The CRL number must not be
 * critical (RFC 5280 5.2.3); a delta CRL indicator is not supported. */
static int crl_ext_supported(int nid)
{
	return nid == NID_authority_key_identifier || nid == NID_issuing_distribution_point;
}

/* The CRL entry for issuer, with its signature checked; NULL if none. A
 * CRL with the right issuer name whose signature does not verify is a
 * failure (returned through *bad). */
static struct crl_entry *crl_for(struct ucpki_verifier *v, X509 *issuer, struct crl_entry **bad)
{
	*bad = NULL;
	for (int i = 0; i < v->n_crls; i++) {
		struct crl_entry *ce = &v->crls[i];
		if (X509_NAME_cmp(X509_CRL_get_issuer(ce->crl), X509_get_subject_name(issuer)) != 0)
			continue;
		if (ce->verified_by && X509_cmp(ce->verified_by, issuer) == 0)
			return ce;
		if (X509_CRL_verify(ce->crl, X509_get0_pubkey(issuer)) == 1 && X509_up_ref(issuer)) {
			X509_free(ce->verified_by);
			ce->verified_by = issuer;
			return ce;
		}
		ERR_clear_error();
		*bad = ce;
	}
	return NULL;
}

/* The CRL's own form (RFC 5280 5.1, 5.2): version, extensions, number,
 * validity. Returns 0 and records the failure when it cannot be used. */
static int crl_form_ok(struct ucpki_verdict *vd, int pos, const struct crl_entry *ce)
{
	X509_CRL *crl = ce->crl;
	long version = X509_CRL_get_version(crl);
	int n_ext = X509_CRL_get_ext_count(crl), crit;
	ASN1_INTEGER *number;
	char tbuf[40];
	time_t t;

	if (version > 1 || (version == 0 && n_ext > 0)) {
		verdict_fail(vd, R_REV_CRL_VERSION, pos, "the CRL from %s is version %ld%s", ce->source,
		             version + 1, version == 0 ? " but has extensions (needs version 2)" : "");
		return 0;
	}
	for (int k = 0; k < n_ext; k++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(crl, k);
		char oid[80];
		if (!X509_EXTENSION_get_critical(ext) ||
		    crl_ext_supported(OBJ_obj2nid(X509_EXTENSION_get_object(ext))))
			continue;
		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 0);
		verdict_fail(vd, R_REV_CRL_CRITICAL, pos,
		             "the CRL from %s has a critical extension that is not allowed (%s)",
		             ce->source, oid);
		return 0;
	}
	if ((number = X509_CRL_get_ext_d2i(crl, NID_crl_number, &crit, NULL)) == NULL) {
		verdict_fail(vd, R_REV_CRL_NUMBER, pos, "the CRL from %s has no %sCRL number",
		             ce->source, crit == -2 ? "single " : "");
		return 0;
	}
	ASN1_INTEGER_free(number);
	if (ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(crl), vd->at) > 0) {
		verdict_fail(vd, R_REV_CRL_NOT_YET, pos, "the CRL from %s is not valid yet", ce->source);
		return 0;
	}
	if (X509_CRL_get0_nextUpdate(crl) == NULL) {
		verdict_fail(vd, R_REV_CRL_NEXT_UPDATE, pos,
		             "the CRL from %s has no nextUpdate: its freshness cannot be judged", ce->source);
		return 0;
	}
	if (ASN1_TIME_cmp_time_t(X509_CRL_get0_nextUpdate(crl), vd->at) == -1) {
		ucpki_asn1_time_to_t(X509_CRL_get0_nextUpdate(crl), &t);
		verdict_fail(vd, R_REV_CRL_EXPIRED, pos, "the CRL from %s expired on %s (get a fresh one)",
		             ce->source, ucpki_time_string(t, tbuf, sizeof(tbuf)));
		return 0;
	}
	return 1;
}

static int cmp_serial(const X509_REVOKED *const *a, const X509_REVOKED *const *b)
{
	return ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(*a), X509_REVOKED_get0_serialNumber(*b));
}

/* The entries: no serial twice, no critical entry extension (the only
 * critical one RFC 5280 defines, certificateIssuer, belongs to indirect
 * CRLs, which are not supported). Returns 0 and records the failure. */
static int crl_entries_ok(struct ucpki_verdict *vd, int pos, struct crl_entry *ce)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(ce->crl), *sorted;
	int n = sk_X509_REVOKED_num(revs), ok = 1;
	char oid[80];

	if (ce->entries_ok)
		return 1;
	for (int i = 0; i < n && ok; i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(revs, i);
		const STACK_OF(X509_EXTENSION) *exts = X509_REVOKED_get0_extensions(r);
		for (int k = 0; k < sk_X509_EXTENSION_num(exts) && ok; k++) {
			X509_EXTENSION *ext = sk_X509_EXTENSION_value(exts, k);
			if (!X509_EXTENSION_get_critical(ext))
				continue;
			OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 0);
			verdict_fail(vd, R_REV_CRL_CRITICAL, pos,
			             "the CRL from %s has an entry with a critical extension (%s)", ce->source,
			             oid);
			ok = 0;
		}
	}
	if (!ok || n < 2 || (sorted = sk_X509_REVOKED_dup(revs)) == NULL)
		return ce->entries_ok = ok;
	(void)sk_X509_REVOKED_set_cmp_func(sorted, cmp_serial);
	sk_X509_REVOKED_sort(sorted);
	for (int i = 1; i < n && ok; i++) {
		const X509_REVOKED *a = sk_X509_REVOKED_value(sorted, i - 1), *b = sk_X509_REVOKED_value(sorted, i);
		if (cmp_serial(&a, &b) == 0) {
			char *hex = i2s_ASN1_INTEGER(NULL, X509_REVOKED_get0_serialNumber(b));
			verdict_fail(vd, R_REV_CRL_DUPLICATE, pos, "the CRL from %s lists serial %s twice",
			             ce->source, hex ? hex : "?");
			OPENSSL_free(hex);
			ok = 0;
		}
	}
	sk_X509_REVOKED_free(sorted);
	return ce->entries_ok = ok;
}

/* Does some URI of the CRL's distribution point name one of x's CRL
 * distribution points (RFC 5280 6.3.3 (b)(2)(i))? 1 when either names
 * none. */
static int dp_names_match(const ISSUING_DIST_POINT *idp, X509 *x)
{
	STACK_OF(DIST_POINT) *dps;
	int match = 0;

	if (idp->distpoint == NULL || idp->distpoint->type != 0)
		return 1;
	if ((dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL)) == NULL)
		return 1;
	for (int i = 0; i < sk_DIST_POINT_num(dps) && !match; i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		GENERAL_NAMES *mine = dp->distpoint && dp->distpoint->type == 0
		                      ? dp->distpoint->name.fullname : NULL;
		for (int a = 0; a < sk_GENERAL_NAME_num(mine) && !match; a++)
			for (int b = 0; b < sk_GENERAL_NAME_num(idp->distpoint->name.fullname) && !match; b++)
				match = GENERAL_NAME_cmp(sk_GENERAL_NAME_value(mine, a),
				                         sk_GENERAL_NAME_value(idp->distpoint->name.fullname, b)) == 0;
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return match;
}

/* The scope the issuingDistributionPoint gives the CRL must cover x. */
static int crl_scope_ok(struct ucpki_verdict *vd, int pos, const struct crl_entry *ce, X509 *x)
{
	ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(ce->crl, NID_issuing_distribution_point, NULL, NULL);
	const char *why = NULL;
	int ca = pos > 0;

	if (idp == NULL)
		return 1;
	if (idp->onlyuser > 0 && ca)
		why = "holds only end-entity certificates (onlyContainsUserCerts)";
	else if (idp->onlyCA > 0 && !ca)
		why = "holds only CA certificates (onlyContainsCACerts)";
	else if (idp->onlyattr > 0)
		why = "holds only attribute certificates";
	else if (idp->onlysomereasons)
		why = "covers only some revocation reasons (onlySomeReasons)";
	else if (idp->indirectCRL > 0)
		why = "is an indirect CRL";
	else if (!dp_names_match(idp, x))
		why = "is for another distribution point than the certificate names";
	ISSUING_DIST_POINT_free(idp);
	if (why)
		verdict_fail(vd, R_REV_CRL_SCOPE, pos, "the CRL from %s %s", ce->source, why);
	return why == NULL;
}

static void crl_check_one(struct ucpki_verifier *v, struct ucpki_verdict *vd, int pos,
                          X509 *x, X509 *issuer, int *checked)
{
	struct crl_entry *bad, *ce = crl_for(v, issuer, &bad);
	char subj[256], tbuf[40];
	X509_REVOKED *rev = NULL;
	time_t t;

	if (ce == NULL) {
		if (bad)
			verdict_fail(vd, R_REV_CRL_SIGNATURE, pos,
			             "the CRL from %s names its issuer \"%.200s\" but its signature does not "
			             "verify with that CA's key", bad->source,
			             cert_subject(issuer, subj, sizeof(subj)));
		else if (pos == 0 && v->given_crls)
			verdict_fail(vd, R_REV_CRL_MISSING, pos,
			             "none of the CRLs given was issued by its issuer \"%.200s\"",
			             cert_subject(issuer, subj, sizeof(subj)));
		return;
	}
	if ((X509_get_extension_flags(issuer) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(issuer) & KU_CRL_SIGN)) {
		verdict_fail(vd, R_REV_CRL_ISSUER_USAGE, pos,
		             "its issuer \"%.200s\" may not sign CRLs (keyUsage lacks cRLSign), so the CRL "
		             "from %s cannot be used", cert_subject(issuer, subj, sizeof(subj)), ce->source);
		return;
	}
	if (!crl_form_ok(vd, pos, ce) || !crl_entries_ok(vd, pos, ce) || !crl_scope_ok(vd, pos, ce, x))
		return;
	if (X509_CRL_get0_by_serial(ce->crl, &rev, X509_get0_serialNumber(x)) == 1) {
		ASN1_ENUMERATED *re = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
		const char *reason = re ? ucpki_reason_name((int)ASN1_ENUMERATED_get(re)) : "unspecified";
		ucpki_asn1_time_to_t(X509_REVOKED_get0_revocationDate(rev), &t);
		verdict_fail(vd, R_REV_REVOKED, pos, "revoked on %s (reason %s) by the CRL from %s",
		             ucpki_time_string(t, tbuf, sizeof(tbuf)), reason ? reason : "?", ce->source);
		ASN1_ENUMERATED_free(re);
		return;
	}
	(*checked)++;
}

/* --- OCSP --------------------------------------------------------------- */

static const char *ocsp_url_for(struct ucpki_verifier *v, X509 *leaf, char **owned)
{
	STACK_OF(OPENSSL_STRING) *urls;

	*owned = NULL;
	if (v->ocsp == NULL)
		return NULL;
	if (strcasecmp(v->ocsp, "aia") != 0)
		return v->ocsp;
	urls = X509_get1_ocsp(leaf);
	for (int i = 0; urls && i < sk_OPENSSL_STRING_num(urls) && !*owned; i++) {
		const char *u = sk_OPENSSL_STRING_value(urls, i);
		if (strncasecmp(u, "http://", 7) == 0)
			*owned = strdup(u);
	}
	X509_email_free(urls);
	return *owned;
}

static int ocsp_status_fail(struct ucpki_check *c, const char *label, int status)
{
	c->status = UCPKI_CHECK_FAIL;
	c->position = 0;
	c->rule = rule_get(R_REV_OCSP_INVALID)->id;
	snprintf(c->detail, sizeof(c->detail), "the OCSP responder %.200s answered '%s' instead of a status",
	         label, OCSP_response_status_str(status));
	return 0;
}

static void check_set(struct ucpki_check *c, enum ucpki_check_status st, enum vrule rule,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void check_set(struct ucpki_check *c, enum ucpki_check_status st, enum vrule rule,
                      const char *fmt, ...)
{
	va_list ap;

	c->status = st;
	c->position = 0;
	c->rule = st == UCPKI_CHECK_FAIL ? rule_get(rule)->id : NULL;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

int ucpki_ocsp_judge(struct ucpki_verifier *v, const unsigned char *der, size_t len,
                     const char *label, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                     OCSP_REQUEST *req, struct ucpki_check *check, struct ucpki_err *e)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int status, reason, nonce, rc = 0;
	char tbuf[40];
	time_t t;

	if (resp == NULL || p != der + len) {
		OCSP_RESPONSE_free(resp);
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: the answer is not an OCSP response", label);
	}
	status = OCSP_response_status(resp);
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		ocsp_status_fail(check, label, status);
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_INVALID, "the OCSP answer from %.200s is not a basic response",
		          label);
		goto out;
	}
	nonce = req ? OCSP_check_nonce(req, bs) : 2;
	if (nonce == 0) {
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_INVALID,
		          "the OCSP answer from %.200s carries another nonce (replayed or mixed up)", label);
		goto out;
	}
	if (OCSP_basic_verify(bs, untrusted, v->store, 0) <= 0) {
		unsigned long err = ERR_peek_error();
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_INVALID,
		          "the OCSP answer from %.200s is not signed by the CA or a responder it "
		          "authorised (%s)", label,
		          err && ERR_reason_error_string(err) ? ERR_reason_error_string(err) : "bad signature");
		ERR_clear_error();
		goto out;
	}
	if ((id = OCSP_cert_to_id(NULL, cert, issuer)) == NULL) {
		rc = ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot compute the OCSP certificate id");
		goto out;
	}
	if (!OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd)) {
		char *serial = NULL;
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
		serial = bn ? BN_bn2hex(bn) : NULL;
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_INVALID,
		          "the OCSP answer from %.200s is about another certificate (nothing on serial %s)",
		          label, serial ? serial : "?");
		OPENSSL_free(serial);
		BN_free(bn);
		goto out;
	}
	if (!OCSP_check_validity(thisupd, nextupd, OCSP_LEEWAY,
	                         nextupd || nonce == 1 ? -1 : OCSP_MAXAGE_NO_NONCE)) {
		ERR_clear_error();
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_INVALID, "the OCSP answer from %.200s is stale or not yet valid",
		          label);
		goto out;
	}
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		check_set(check, UCPKI_CHECK_PASS, R_REV_OCSP_INVALID, "OCSP %.200s: good%s", label,
		          nonce == 1 ? " (nonce checked)" : " (the responder did not echo the nonce)");
		check->position = -1;
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		ucpki_asn1_time_to_t(rev, &t);
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_REVOKED, "revoked on %s (reason %s) according to OCSP %.200s",
		          ucpki_time_string(t, tbuf, sizeof(tbuf)),
		          reason >= 0 ? OCSP_crl_reason_str(reason) : "not given", label);
		break;
	default:
		check_set(check, UCPKI_CHECK_FAIL, R_REV_OCSP_UNKNOWN,
		          "the OCSP responder %.200s does not know this certificate (status unknown)", label);
	}
out:
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	return rc;
}

static int ocsp_check(struct ucpki_verifier *v, struct ucpki_verdict *vd, struct ucpki_err *e)
{
	X509 *leaf = sk_X509_value(vd->path, 0), *issuer;
	OCSP_REQUEST *req = NULL;
	OCSP_CERTID *id = NULL;
	struct ucpki_http_response r = {0};
	struct ucpki_check c = {UCPKI_CHECK_SKIP, -1, "", NULL};
	unsigned char *der = NULL;
	char *owned = NULL;
	const char *url = ocsp_url_for(v, leaf, &owned);
	int len, rc = -1;

	if (url == NULL) {
		snprintf(vd->checks[UCPKI_CHECK_REVOCATION].detail, sizeof(c.detail),
		         "OCSP asked from the AIA, but the certificate names no http:// OCSP responder");
		return 0;
	}
	if (sk_X509_num(vd->path) < 2) {
		free(owned);
		return 0; /* no issuer: the chain check already failed */
	}
	issuer = sk_X509_value(vd->path, 1);
	if ((req = OCSP_REQUEST_new()) == NULL || (id = OCSP_cert_to_id(NULL, leaf, issuer)) == NULL ||
	    !OCSP_request_add0_id(req, id)) {
		OCSP_CERTID_free(id);
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build an OCSP request");
		goto out;
	}
	if (!OCSP_request_add1_nonce(req, NULL, -1) || (len = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build an OCSP request");
		goto out;
	}
	if (ucpki_http_fetch(url, "application/ocsp-request", der, (size_t)len, v->o.max_fetch,
	                     v->o.timeout_ms, &r, e) != 0) {
		ucpki_err_prefix(e, "OCSP: ");
		goto out;
	}
	if (strcmp(r.content_type, "application/ocsp-response") != 0) {
		const unsigned char *q = r.body;
		OCSP_RESPONSE *probe = d2i_OCSP_RESPONSE(NULL, &q, (long)r.body_len);
		OCSP_RESPONSE_free(probe);
		ERR_clear_error();
		if (probe == NULL) {
			ucpki_err_set(e, UCPKI_E_INPUT,
			              "OCSP: %s answered %s, not an OCSP response (is this the OCSP URL?)",
			              url, r.content_type[0] ? r.content_type : "without a content type");
			goto out;
		}
	}
	if (ucpki_ocsp_judge(v, r.body, r.body_len, url, leaf, issuer, vd->path, req, &c, e) != 0)
		goto out;
	if (c.status == UCPKI_CHECK_FAIL)
		verdict_fail(vd, rule_by_id(c.rule), c.position, "%s", c.detail);
	else
		vd->checks[UCPKI_CHECK_REVOCATION] = c;
	rc = 0;
out:
	ucpki_http_response_clear(&r);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
	free(owned);
	return rc;
}

int revocation_check(struct ucpki_verifier *v, struct ucpki_verdict *vd, struct ucpki_err *e)
{
	int n = sk_X509_num(vd->path), checked = 0, crl_used;
	struct ucpki_check *c = &vd->checks[UCPKI_CHECK_REVOCATION];
	char crl_note[200] = "", ocsp_note[220] = "";

	if (v->o.fetch_crls) {
		for (int i = 0; i + 1 < n; i++) {
			char *url = crl_dp_url(sk_X509_value(vd->path, i));
			int rc = url ? fetch_crl(v, url, e) : 0;
			free(url);
			if (rc != 0)
				return -1;
		}
	}
	crl_used = v->n_crls > 0;
	for (int i = 0; crl_used && i + 1 < n; i++)
		crl_check_one(v, vd, i, sk_X509_value(vd->path, i), sk_X509_value(vd->path, i + 1), &checked);
	if (c->status == UCPKI_CHECK_FAIL)
		return 0;
	if (crl_used)
		snprintf(crl_note, sizeof(crl_note), "CRL: %d certificate%s checked, none revoked", checked,
		         checked == 1 ? "" : "s");
	if (v->ocsp) {
		if (ocsp_check(v, vd, e) != 0)
			return -1;
		if (c->status == UCPKI_CHECK_FAIL)
			return 0;
		snprintf(ocsp_note, sizeof(ocsp_note), "%.210s", c->detail);
	}
	if (crl_note[0] || (ocsp_note[0] && c->status == UCPKI_CHECK_PASS)) {
		c->status = UCPKI_CHECK_PASS;
		c->position = -1;
		snprintf(c->detail, sizeof(c->detail), "%s%s%.220s", crl_note,
		         crl_note[0] && ocsp_note[0] ? "; " : "", ocsp_note);
	} else if (!ocsp_note[0]) {
		snprintf(c->detail, sizeof(c->detail),
		         "not checked: no OCSP server defined and no CRL given (as the phones do)");
	}
	return 0;
}
