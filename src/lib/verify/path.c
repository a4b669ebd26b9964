/* One verification: build the path with OpenSSL's X509_verify_cert(),
 * collect every finding through its callback (instead of stopping at the
 * first), then apply the level's own checks and explain the verdict. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "ucpki/x509.h"
#include "verify/verify_internal.h"

__attribute__((format(printf, 4, 0)))
static void vset_check(struct ucpki_check *c, enum ucpki_check_status st, int position,
                       const char *fmt, va_list ap)
{
	c->status = st;
	c->position = position;
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
}

static int finding_seen(const struct ucpki_verdict *vd, const char *id, int position)
{
	for (int i = 0; i < vd->n_findings; i++)
		if (vd->findings[i].rule == id && vd->findings[i].position == position)
			return 1;
	return 0;
}

void verdict_fail(struct ucpki_verdict *vd, enum vrule rule, int position, const char *fmt, ...)
{
	const struct ucpki_verify_rule *r = rule_get(rule);
	struct ucpki_check *c = &vd->checks[r->check];
	char text[320];
	va_list ap;

	if (!rule_applies(rule, vd->level) || finding_seen(vd, r->id, position))
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (vd->n_findings < UCPKI_MAX_VFINDINGS) {
		struct ucpki_vfinding *f = &vd->findings[vd->n_findings++];
		f->rule = r->id;
		f->check = r->check;
		f->position = position;
		snprintf(f->message, sizeof(f->message), "%s", text);
	}
	/* The check keeps one finding: the first, unless a later one is about a
	 * certificate nearer the leaf (the walk goes from the anchor down). */
	if (c->status == UCPKI_CHECK_FAIL && (position < 0 || c->position <= position))
		return;
	c->status = UCPKI_CHECK_FAIL;
	c->position = position;
	c->rule = r->id;
	snprintf(c->detail, sizeof(c->detail), "%s (%s)", text, r->id);
}

void verdict_pass(struct ucpki_verdict *vd, enum ucpki_check_id id, const char *fmt, ...)
{
	va_list ap;

	if (vd->checks[id].status == UCPKI_CHECK_FAIL)
		return;
	va_start(ap, fmt);
	vset_check(&vd->checks[id], UCPKI_CHECK_PASS, -1, fmt, ap);
	va_end(ap);
}

void ucpki_verdict_free(struct ucpki_verdict *vd)
{
	if (vd == NULL)
		return;
	sk_X509_pop_free(vd->path, X509_free);
	free(vd);
}

/* --- OpenSSL's findings, in our words ------------------------------------ */

static const struct {
	int err;
	enum vrule rule;
	const char *text;
} findings[] = {
	{X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, R_CHAIN_ISSUER_MISSING,
	 "its issuer %s is neither in the chain nor among the trusted CAs"},
	{X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, R_CHAIN_ISSUER_MISSING,
	 "its issuer %s is neither in the chain nor among the trusted CAs (missing intermediate?)"},
	{X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, R_CHAIN_ISSUER_MISSING,
	 "its issuer %s is neither in the chain nor among the trusted CAs (missing intermediate?)"},
	{X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, R_CHAIN_SELF_SIGNED,
	 "self-signed and not among the trusted CAs"},
	{X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, R_CHAIN_SELF_SIGNED,
	 "a self-signed CA that is not among the trusted CAs"},
	{X509_V_ERR_CERT_UNTRUSTED, R_CHAIN_UNTRUSTED, "not trusted for this use"},
	{X509_V_ERR_CERT_REJECTED, R_CHAIN_UNTRUSTED, "explicitly rejected by the trust store"},
	{X509_V_ERR_CERT_SIGNATURE_FAILURE, R_CHAIN_SIGNATURE,
	 "its signature does not verify with the key of %s"},
	{X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, R_CHAIN_ISSUER_KEY,
	 "the public key of its issuer cannot be decoded"},
	{X509_V_ERR_INVALID_CA, R_CHAIN_NOT_CA,
	 "used as a CA but it is not one (basicConstraints cA missing, or a version 1 "
	 "certificate)"},
	{X509_V_ERR_PATH_LENGTH_EXCEEDED, R_CHAIN_PATHLEN,
	 "its pathLenConstraint is exceeded by the chain below it"},
	{X509_V_ERR_CERT_CHAIN_TOO_LONG, R_CHAIN_MAX_DEPTH,
	 "the path has more intermediate CAs than the maximum depth allows"},
	{X509_V_ERR_KEYUSAGE_NO_CERTSIGN, R_CHAIN_KEYCERTSIGN,
	 "its keyUsage does not allow signing certificates (keyCertSign)"},
	{X509_V_ERR_INVALID_NON_CA, R_CHAIN_NOT_CA, "a non-CA certificate acting as a CA"},
	{X509_V_ERR_PERMITTED_VIOLATION, R_CHAIN_NC_PERMITTED, "outside the CA's name constraints"},
	{X509_V_ERR_EXCLUDED_VIOLATION, R_CHAIN_NC_EXCLUDED, "excluded by the CA's name constraints"},
	{X509_V_ERR_SUBTREE_MINMAX, R_CHAIN_NC_MALFORMED,
	 "a name constraint above it sets minimum or maximum"},
	{X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, R_CHAIN_NC_MALFORMED,
	 "a name constraint above it is of a type that cannot be checked"},
	{X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, R_CHAIN_NC_MALFORMED,
	 "a name constraint above it has an unsupported syntax"},
	{X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, R_CHAIN_NC_MALFORMED,
	 "one of its names cannot be checked against the name constraints above it"},
	{X509_V_ERR_INVALID_POLICY_EXTENSION, R_CHAIN_POLICY, "invalid policy extension"},
	{X509_V_ERR_NO_EXPLICIT_POLICY, R_CHAIN_POLICY, "no acceptable certificate policy"},
	{X509_V_ERR_CERT_NOT_YET_VALID, R_VALIDITY_NOT_YET, "not valid before %s"},
	{X509_V_ERR_CERT_HAS_EXPIRED, R_VALIDITY_EXPIRED, "expired on %s"},
	{X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, R_VALIDITY_MALFORMED, "malformed notBefore"},
	{X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, R_VALIDITY_MALFORMED, "malformed notAfter"},
	{X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, R_EXT_UNKNOWN_CRITICAL,
	 "carries a critical extension the device does not know (%s)"},
	{X509_V_ERR_INVALID_EXTENSION, R_EXT_INVALID,
	 "carries a malformed or duplicated extension"},
	{X509_V_ERR_INVALID_PURPOSE, R_PUR_EKU,
	 "its extendedKeyUsage / keyUsage does not allow use as a TLS %s"},
	/* RFC 5280 profile checks of the strict mode (level full) */
	{X509_V_ERR_CA_BCONS_NOT_CRITICAL, R_EXT_NOT_CRITICAL,
	 "a CA whose basicConstraints is not marked critical"},
	{X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, R_PRO_PATHLEN_NON_CA,
	 "a pathLenConstraint without cA=TRUE"},
	{X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, R_PRO_PATHLEN_NON_CA,
	 "a pathLenConstraint without keyCertSign in keyUsage"},
	{X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, R_PRO_LEAF_CA,
	 "keyCertSign in keyUsage without cA=TRUE"},
	{X509_V_ERR_ISSUER_NAME_EMPTY, R_PRO_EMPTY_NAME, "an empty issuer name"},
	{X509_V_ERR_SUBJECT_NAME_EMPTY, R_PRO_EMPTY_NAME, "an empty subject name"},
	{X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, R_PRO_EMPTY_NAME,
	 "an empty subject with a non-critical subjectAltName"},
	{X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, R_PRO_CA_KU, "a CA without keyUsage"},
	{X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, R_PRO_VERSION,
	 "extensions in a certificate that is not version 3"},
	{X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, R_PRO_SAN_EMPTY, "a subjectAltName without names"},
	{X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY, R_PRO_SIGALG,
	 "its outer signatureAlgorithm differs from the signature field it signs"},
	{X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, R_EXT_CRITICAL,
	 "its authorityKeyIdentifier is marked critical"},
	{X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, R_EXT_CRITICAL,
	 "its subjectKeyIdentifier is marked critical"},
	{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, R_PRO_AKI,
	 "no authorityKeyIdentifier with a keyIdentifier, though it is not self-issued"},
	{X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, R_PRO_SKI, "a CA without subjectKeyIdentifier"},
	{X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, R_PRO_EXPLICIT_CURVE,
	 "an EC key with explicit curve parameters"},
	{X509_V_ERR_EE_KEY_TOO_SMALL, R_PRO_WEAK_KEY, "its key is too weak (under 112 bits of security)"},
	{X509_V_ERR_CA_KEY_TOO_SMALL, R_PRO_WEAK_KEY, "its key is too weak (under 112 bits of security)"},
	{X509_V_ERR_CA_MD_TOO_WEAK, R_PRO_WEAK_SIG,
	 "signed with a digest too weak (under 112 bits of security)"},
};

/* Names of unknown critical extensions of x, into buf. */
static const char *unknown_critical(X509 *x, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *ext = X509_get_ext(x, i);
		char oid[80];
		if (!X509_EXTENSION_get_critical(ext) || X509_supported_extension(ext))
			continue;
		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(ext), 0);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
		                         used ? ", " : "", oid);
		if (used >= len)
			break;
	}
	return buf;
}

/* The argument of a finding's text. */
static void finding_arg(struct verify_call *vc, X509_STORE_CTX *ctx, int err, char *arg, size_t len)
{
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);
	char tbuf[40];
	time_t t;

	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
		char *iss = x ? ucpki_dn_string(X509_get_issuer_name(x)) : NULL;
		snprintf(arg, len, "\"%s\"", iss ? iss : "?");
		free(iss);
		break;
	}
	case X509_V_ERR_CERT_SIGNATURE_FAILURE: {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		X509 *iss = depth + 1 < sk_X509_num(chain) ? sk_X509_value(chain, depth + 1) : x;
		char s[256];
		snprintf(arg, len, "\"%s\"", cert_subject(iss, s, sizeof(s)));
		break;
	}
	case X509_V_ERR_CERT_NOT_YET_VALID:
		ucpki_asn1_time_to_t(X509_get0_notBefore(x), &t);
		snprintf(arg, len, "%s", ucpki_time_string(t, tbuf, sizeof(tbuf)));
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		ucpki_asn1_time_to_t(X509_get0_notAfter(x), &t);
		snprintf(arg, len, "%s", ucpki_time_string(t, tbuf, sizeof(tbuf)));
		break;
	case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
		unknown_critical(x, arg, len);
		break;
	case X509_V_ERR_INVALID_PURPOSE:
		snprintf(arg, len, "%s", vc->purpose == UCPKI_PURPOSE_CLIENT ? "client" : "server");
		break;
	}
}

static void record_finding(struct verify_call *vc, X509_STORE_CTX *ctx)
{
	int err = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);
	char arg[300] = "", text[400];

	for (size_t i = 0; i < sizeof(findings) / sizeof(findings[0]); i++) {
		enum vrule rule = findings[i].rule;
		if (findings[i].err != err)
			continue;
		finding_arg(vc, ctx, err, arg, sizeof(arg));
		/* an intermediate's EKU constrains the leaf's purpose; its
		 * anyExtendedKeyUsage allows every one (RFC 5280 4.2.1.12), which
		 * OpenSSL does not honour */
		if (rule == R_PUR_EKU && depth > 0) {
			X509 *x = X509_STORE_CTX_get_current_cert(ctx);
			if (x && (X509_get_extended_key_usage(x) & XKU_ANYEKU))
				return;
			rule = R_PUR_CA_EKU;
		}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(text, sizeof(text), findings[i].text, arg);
#pragma GCC diagnostic pop
		verdict_fail(vc->vd, rule, depth, "%s", text);
		return;
	}
	verdict_fail(vc->vd, R_CHAIN_OTHER, depth, "%s", X509_verify_cert_error_string(err));
}

static int collect(int ok, X509_STORE_CTX *ctx)
{
	struct verify_call *vc = X509_STORE_CTX_get_app_data(ctx);

	if (!ok && vc)
		record_finding(vc, ctx);
	return 1; /* go on: every finding is wanted, not just the first */
}

/* --- The signature and time pass, with a cache ----------------------------- */

static int cert_sha256(X509 *x, unsigned char out[32])
{
	unsigned int n = 0;

	return X509_digest(x, EVP_sha256(), out, &n) == 1 && n == 32 ? 0 : -1;
}

static int cache_find(struct ucpki_verifier *v, const unsigned char s[32], const unsigned char i[32])
{
	for (int k = 0; k < v->n_cache; k++)
		if (memcmp(v->cache[k].subject, s, 32) == 0 && memcmp(v->cache[k].issuer, i, 32) == 0)
			return 1;
	return 0;
}

static void cache_add(struct ucpki_verifier *v, const unsigned char s[32], const unsigned char i[32])
{
	struct sig_entry *en = &v->cache[v->next_cache];

	memcpy(en->subject, s, 32);
	memcpy(en->issuer, i, 32);
	v->next_cache = (v->next_cache + 1) % SIG_CACHE_MAX;
	if (v->n_cache < SIG_CACHE_MAX)
		v->n_cache++;
}

/* 1 if xs's signature verifies with xi's key. CA certificates' results are
 * cached: the same pair of certificates gives the same answer. */
static int signature_ok(struct ucpki_verifier *v, X509 *xs, X509 *xi, EVP_PKEY *pkey)
{
	unsigned char hs[32], hi[32];
	int cacheable = v && X509_check_ca(xs) > 0 && cert_sha256(xs, hs) == 0 &&
	                cert_sha256(xi, hi) == 0;

	if (cacheable && cache_find(v, hs, hi))
		return 1;
	if (X509_verify(xs, pkey) <= 0)
		return 0;
	if (cacheable)
		cache_add(v, hs, hi);
	return 1;
}

static int fail_at(X509_STORE_CTX *ctx, X509 *x, int depth, int err)
{
	X509_STORE_CTX_verify_cb cb = X509_STORE_CTX_get_verify_cb(ctx);

	X509_STORE_CTX_set_error_depth(ctx, depth);
	X509_STORE_CTX_set_current_cert(ctx, x);
	X509_STORE_CTX_set_error(ctx, err);
	return cb(0, ctx);
}

static int time_ok(X509_STORE_CTX *ctx, X509 *x, int depth)
{
	const X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	unsigned long flags = X509_VERIFY_PARAM_get_flags((X509_VERIFY_PARAM *)param);
	time_t at = (flags & X509_V_FLAG_USE_CHECK_TIME) ? X509_VERIFY_PARAM_get_time(param) : time(NULL);
	int c;

	if (flags & X509_V_FLAG_NO_CHECK_TIME)
		return 1;

	/* RFC 5280 4.1.2.5: the validity period includes both of its ends */
	c = ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), at);
	if (c == -2 && !fail_at(ctx, x, depth, X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD))
		return 0;
	if (c == 1 && !fail_at(ctx, x, depth, X509_V_ERR_CERT_NOT_YET_VALID))
		return 0;
	c = ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), at);
	if (c == -2 && !fail_at(ctx, x, depth, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD))
		return 0;
	if (c == -1 && !fail_at(ctx, x, depth, X509_V_ERR_CERT_HAS_EXPIRED))
		return 0;
	return 1;
}

/* Walks the chain from the anchor down like OpenSSL's own pass (RFC 5280
 * 6.1.3 (a)): the issuer's keyUsage must allow certificate signing, the
 * signature must verify, every certificate (anchor included) must be
 * within its validity. The anchor's own signature is not checked. */
int cached_internal_verify(X509_STORE_CTX *ctx)
{
	struct verify_call *vc = X509_STORE_CTX_get_app_data(ctx);
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	X509_STORE_CTX_verify_cb cb = X509_STORE_CTX_get_verify_cb(ctx);
	int n = sk_X509_num(chain) - 1;
	X509 *xi = sk_X509_value(chain, n), *xs = xi;

	while (n >= 0) {
		if (xs != xi) {
			EVP_PKEY *pkey = X509_get0_pubkey(xi);
			if ((X509_get_extension_flags(xi) & EXFLAG_KUSAGE) &&
			    !(X509_get_key_usage(xi) & KU_KEY_CERT_SIGN) &&
			    !fail_at(ctx, xi, n + 1, X509_V_ERR_KEYUSAGE_NO_CERTSIGN))
				return 0;
			if (pkey == NULL) {
				if (!fail_at(ctx, xi, n + 1, X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY))
					return 0;
			} else if (!signature_ok(vc ? vc->v : NULL, xs, xi, pkey) &&
			           !fail_at(ctx, xs, n, X509_V_ERR_CERT_SIGNATURE_FAILURE)) {
				return 0;
			}
		}
		if (!time_ok(ctx, xs, n))
			return 0;
		X509_STORE_CTX_set_current_cert(ctx, xs);
		X509_STORE_CTX_set_error_depth(ctx, n);
		if (!cb(1, ctx))
			return 0;
		if (--n >= 0) {
			xi = xs;
			xs = sk_X509_value(chain, n);
		}
	}
	ERR_clear_error();
	return 1;
}

/* --- The level's own checks ---------------------------------------------- */

/* Both names must be named when both are given: the device may use either.
 * The name used must also satisfy every name constraint on the path. */
static void check_identity(struct ucpki_verdict *vd, const struct ucpki_verify_req *req)
{
	enum ucpki_cn_rule cn = vd->level == UCPKI_LEVEL_WEBPKI ? UCPKI_CN_NEVER : UCPKI_CN_RFC6125;
	const char *host = req->host && *req->host ? req->host : NULL;
	const char *ip = req->ip && *req->ip ? req->ip : NULL;
	char how[400], how2[400] = "";
	int ok = 1;

	if (host == NULL && ip == NULL) {
		snprintf(vd->checks[UCPKI_CHECK_IDENTITY].detail, sizeof(vd->checks[0].detail),
		         "not checked: no host name or address was given");
		return;
	}
	if (host)
		ok = ucpki_identity_match(req->leaf, host, NULL, cn, how, sizeof(how));
	if (ok && ip) {
		char *dst = host ? how2 : how;
		ok = ucpki_identity_match(req->leaf, NULL, ip, cn, dst, sizeof(how));
		if (!ok && dst == how2)
			memcpy(how, how2, sizeof(how));
	}
	if (!ok) {
		verdict_fail(vd, R_ID_MISMATCH, 0, "%s", how);
		return;
	}
	nc_identity_check(vd, host, ip);
	if (how2[0])
		verdict_pass(vd, UCPKI_CHECK_IDENTITY, "%.190s; %.190s", how, how2);
	else
		verdict_pass(vd, UCPKI_CHECK_IDENTITY, "%s", how);
}

/* Correct use of the critical extensions OpenSSL knows: a critical
 * keyUsage on the leaf must allow a TLS key exchange or signature, a
 * critical extendedKeyUsage must allow the purpose (any TLS use when none
 * was asked). Unknown critical extensions were found during path building. */
static void check_extensions(struct ucpki_verdict *vd, const struct ucpki_verify_req *req)
{
	X509 *leaf = req->leaf;
	char seen[300] = "";
	size_t used = 0;
	int idx;

	for (int i = 0; i < sk_X509_num(vd->path); i++) {
		X509 *x = sk_X509_value(vd->path, i);
		for (int k = 0; k < X509_get_ext_count(x); k++) {
			X509_EXTENSION *ext = X509_get_ext(x, k);
			if (!X509_EXTENSION_get_critical(ext) || used >= sizeof(seen))
				continue;
			used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s[%d] %s",
			                         used ? ", " : "", i,
			                         OBJ_nid2sn(OBJ_obj2nid(X509_EXTENSION_get_object(ext))));
		}
	}
	idx = X509_get_ext_by_NID(leaf, NID_key_usage, -1);
	if (idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(leaf, idx)) &&
	    !(X509_get_key_usage(leaf) & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)))
		verdict_fail(vd, R_EXT_KEY_USAGE, 0,
		             "its critical keyUsage allows neither digitalSignature, keyEncipherment "
		             "nor keyAgreement, so it cannot be used for TLS");
	idx = X509_get_ext_by_NID(leaf, NID_ext_key_usage, -1);
	if (idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(leaf, idx))) {
		uint32_t xku = X509_get_extended_key_usage(leaf);
		uint32_t want = req->purpose == UCPKI_PURPOSE_SERVER   ? XKU_SSL_SERVER
		                : req->purpose == UCPKI_PURPOSE_CLIENT ? XKU_SSL_CLIENT
		                                                       : XKU_SSL_SERVER | XKU_SSL_CLIENT;
		if (!(xku & (want | XKU_ANYEKU)))
			verdict_fail(vd, R_EXT_EKU, 0, "its critical extendedKeyUsage does not include %s",
			             want == XKU_SSL_CLIENT ? "clientAuth"
			             : want == XKU_SSL_SERVER ? "serverAuth" : "serverAuth or clientAuth");
	}
	verdict_pass(vd, UCPKI_CHECK_EXTENSIONS, "critical extensions known and used correctly: %s",
	             seen[0] ? seen : "none");
}

/* keyUsage bits as ucpki_ku_parse() numbers them, into OpenSSL's KU_ flags. */
static uint32_t ku_flags(unsigned bits)
{
	uint32_t f = 0;

	for (unsigned b = 0; b < 8; b++)
		if (bits & (1u << b))
			f |= 0x80u >> b;
	if (bits & (1u << 8))
		f |= KU_DECIPHER_ONLY;
	return f;
}

/* The usages asked for must be allowed by the leaf's keyUsage; a leaf
 * without keyUsage allows every usage (RFC 5280 4.2.1.3). */
static void check_key_usage(struct ucpki_verdict *vd, const struct ucpki_verify_req *req)
{
	uint32_t want = ku_flags(req->key_usage);

	if (want == 0 || !(X509_get_extension_flags(req->leaf) & EXFLAG_KUSAGE))
		return;
	if ((X509_get_key_usage(req->leaf) & want) != want)
		verdict_fail(vd, R_PUR_KEY_USAGE, 0,
		             "its keyUsage (0x%04x) does not allow every usage asked for (0x%04x)",
		             (unsigned)X509_get_key_usage(req->leaf), (unsigned)want);
}

/* The finding the reason tells: the first failed check in check order,
 * about the certificate nearest the leaf. */
static const struct ucpki_vfinding *primary_finding(const struct ucpki_verdict *vd)
{
	for (int id = 0; id < UCPKI_CHECK_COUNT; id++) {
		const struct ucpki_vfinding *best = NULL;
		for (int i = 0; i < vd->n_findings; i++) {
			const struct ucpki_vfinding *f = &vd->findings[i];
			if ((int)f->check != id)
				continue;
			if (best == NULL || (f->position >= 0 && (best->position < 0 || f->position < best->position)))
				best = f;
		}
		if (best)
			return best;
	}
	return NULL;
}

static void explain(struct ucpki_verdict *vd)
{
	const struct ucpki_vfinding *f = primary_finding(vd);
	char subj[256];
	int pos;

	if (f == NULL)
		return;
	vd->accepted = 0;
	vd->rule = f->rule;
	pos = f->position;
	if (pos >= 0 && pos < sk_X509_num(vd->path))
		snprintf(vd->reason, sizeof(vd->reason), "%s: certificate [%d] \"%.250s\"%s: %s", f->rule,
		         pos, cert_subject(sk_X509_value(vd->path, pos), subj, sizeof(subj)),
		         pos == 0 ? " (leaf)" : "", f->message);
	else
		snprintf(vd->reason, sizeof(vd->reason), "%s: %s", f->rule, f->message);
}

static int anchored(struct ucpki_verifier *v, STACK_OF(X509) *path)
{
	X509 *top = sk_X509_value(path, sk_X509_num(path) - 1);

	for (int i = 0; top && i < sk_X509_num(v->anchors); i++)
		if (X509_cmp(sk_X509_value(v->anchors, i), top) == 0)
			return 1;
	return 0;
}

/* Path building parameters of the level: "trusted" checks no other fields
 * (unknown critical extensions only count at "full"); "full" adds OpenSSL's
 * RFC 5280 strict mode and 112 bits of security. */
static void set_params(X509_STORE_CTX *ctx, struct ucpki_verifier *v,
                       const struct ucpki_verify_req *req)
{
	unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;

	if (req->level < UCPKI_LEVEL_FULL)
		flags |= X509_V_FLAG_IGNORE_CRITICAL;
	else
		flags |= X509_V_FLAG_X509_STRICT | X509_V_FLAG_POLICY_CHECK;
	X509_STORE_CTX_set_flags(ctx, flags);
	X509_STORE_CTX_set_time(ctx, 0, v->o.at);
	if (req->level >= UCPKI_LEVEL_FULL) {
		X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
		ASN1_OBJECT *any = OBJ_nid2obj(NID_any_policy);
		X509_VERIFY_PARAM_set_auth_level(param, 2);
		/* policy processing with anyPolicy acceptable: only a CA's
		 * requireExplicitPolicy or inhibitAnyPolicy can then fail a path */
		if (any)
			X509_VERIFY_PARAM_add0_policy(param, OBJ_dup(any));
	}
	if (req->has_max_depth)
		X509_STORE_CTX_set_depth(ctx, req->max_depth);
	if (req->purpose != UCPKI_PURPOSE_ANY)
		X509_STORE_CTX_set_purpose(ctx, req->purpose == UCPKI_PURPOSE_SERVER
		                                    ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
}

/* When no issuer was found for the certificate at pos, say why the
 * certificates carrying its issuer's name were passed over. */
static void explain_missing_issuer(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                                   struct ucpki_verdict *vd, int pos)
{
	X509 *x = sk_X509_value(vd->path, pos);
	STACK_OF(X509) *pools[2] = {req->untrusted, v->anchors};
	char subj[256];

	for (int p = 0; x && p < 2; p++)
		for (int i = 0; i < sk_X509_num(pools[p]); i++) {
			X509 *cand = sk_X509_value(pools[p], i);
			int why;
			if (X509_NAME_cmp(X509_get_subject_name(cand), X509_get_issuer_name(x)) != 0)
				continue;
			why = X509_check_issued(cand, x);
			cert_subject(cand, subj, sizeof(subj));
			if (X509_get_extension_flags(cand) & EXFLAG_INVALID)
				verdict_fail(vd, R_EXT_INVALID, pos,
				             "its issuer \"%.200s\" was offered but carries a malformed or "
				             "duplicated extension", subj);
			else if (why == X509_V_ERR_AKID_SKID_MISMATCH || why == X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH)
				verdict_fail(vd, R_PRO_AKI, pos,
				             "its authorityKeyIdentifier does not match \"%.200s\", the CA "
				             "offered as its issuer", subj);
			else if (why == X509_V_ERR_KEYUSAGE_NO_CERTSIGN)
				verdict_fail(vd, R_CHAIN_KEYCERTSIGN, pos,
				             "\"%.200s\", offered as its issuer, may not sign certificates", subj);
		}
	ERR_clear_error();
}

static int build_path(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                      struct ucpki_verdict *vd, struct ucpki_err *e)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	struct verify_call vc = {v, vd, req->level, req->purpose};
	int rc = -1;

	if (ctx == NULL || X509_STORE_CTX_init(ctx, v->store, req->leaf, req->untrusted) != 1) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot set up path building");
		goto out;
	}
	X509_STORE_CTX_set_app_data(ctx, &vc);
	X509_STORE_CTX_set_verify_cb(ctx, collect);
	set_params(ctx, v, req);
	if (X509_verify_cert(ctx) < 0 && vd->checks[UCPKI_CHECK_CHAIN].status != UCPKI_CHECK_FAIL)
		verdict_fail(vd, R_CHAIN_OTHER, 0, "path building failed");
	ERR_clear_error();
	vd->path = X509_STORE_CTX_get1_chain(ctx);
	if (vd->path == NULL && (vd->path = sk_X509_new_null()) != NULL && X509_up_ref(req->leaf))
		sk_X509_push(vd->path, req->leaf);
	if (vd->path == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	vd->anchored = anchored(v, vd->path);
	if (!vd->anchored) {
		verdict_fail(vd, R_CHAIN_NO_ANCHOR, sk_X509_num(vd->path) - 1,
		             "the chain does not reach a trusted CA");
		explain_missing_issuer(v, req, vd, sk_X509_num(vd->path) - 1);
	}
	rc = 0;
out:
	X509_STORE_CTX_free(ctx);
	return rc;
}

static void pass_summaries(struct ucpki_verdict *vd)
{
	char subj[256], tbuf[40];
	int n = sk_X509_num(vd->path);
	time_t first_end = 0;

	verdict_pass(vd, UCPKI_CHECK_CHAIN, "%d certificate%s up to the trusted CA \"%.250s\"", n,
	             n == 1 ? "" : "s", cert_subject(sk_X509_value(vd->path, n - 1), subj, sizeof(subj)));
	for (int i = 0; i < n; i++) {
		time_t t;
		if (ucpki_asn1_time_to_t(X509_get0_notAfter(sk_X509_value(vd->path, i)), &t) == 0 &&
		    (first_end == 0 || t < first_end))
			first_end = t;
	}
	verdict_pass(vd, UCPKI_CHECK_VALIDITY, "every certificate valid at %s (first expiry %s)",
	             ucpki_time_string(vd->at, subj, sizeof(subj)),
	             ucpki_time_string(first_end, tbuf, sizeof(tbuf)));
}

static void skip_all(struct ucpki_verdict *vd, const char *why)
{
	for (int id = 0; id < UCPKI_CHECK_COUNT; id++) {
		vd->checks[id].status = UCPKI_CHECK_SKIP;
		vd->checks[id].position = -1;
		snprintf(vd->checks[id].detail, sizeof(vd->checks[id].detail), "%s", why);
	}
}

static int check_request(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                         struct ucpki_err *e)
{
	unsigned char addr[16];
	int alen;

	if (req->leaf == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "no certificate to verify");
	if ((unsigned)req->level > UCPKI_LEVEL_WEBPKI)
		return ucpki_err_set(e, UCPKI_E_INPUT, "unknown verification level %d", (int)req->level);
	if (req->level >= UCPKI_LEVEL_TRUSTED && sk_X509_num(v->anchors) == 0)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "level %s needs the CA certificates the device has loaded (a trust "
		                     "file)", ucpki_level_name(req->level));
	if (req->has_max_depth && (req->max_depth < 0 || req->max_depth > 100))
		return ucpki_err_set(e, UCPKI_E_INPUT, "maximum depth %d is not between 0 and 100",
		                     req->max_depth);
	if (req->host && *req->host) {
		char name[256];
		size_t n = strlen(req->host);
		/* a fully qualified name may end with the root's dot */
		snprintf(name, sizeof(name), "%.*s", (int)(n > 1 && req->host[n - 1] == '.' ? n - 1 : n),
		         req->host);
		if (n >= sizeof(name) || (!ucpki_is_dns_name(name, 0) && !ucpki_parse_ip(name, addr, &alen)))
			return ucpki_err_set(e, UCPKI_E_INPUT, "host '%s' is not a DNS name", req->host);
	}
	if (req->ip && *req->ip && !ucpki_parse_ip(req->ip, addr, &alen))
		return ucpki_err_set(e, UCPKI_E_INPUT, "'%s' is not an IPv4 or IPv6 address", req->ip);
	return 0;
}

static void note_unchecked(struct ucpki_verdict *vd, enum ucpki_check_id id)
{
	snprintf(vd->checks[id].detail, sizeof(vd->checks[0].detail), "not checked at level %s",
	         ucpki_level_name(vd->level));
}

/* The checks of level full and above, on the path built. */
static void full_checks(struct ucpki_verdict *vd, const struct ucpki_verify_req *req)
{
	int n = sk_X509_num(vd->path);

	check_identity(vd, req);
	check_extensions(vd, req);
	nc_form_check(vd);
	profile_check(req, vd);
	verdict_pass(vd, UCPKI_CHECK_PROFILE, "%s profile of %d certificate%s checked",
	             vd->level == UCPKI_LEVEL_WEBPKI ? "RFC 5280 and CA/B Forum" : "RFC 5280", n,
	             n == 1 ? "" : "s");
}

static struct ucpki_verdict *verdict_new(struct ucpki_verifier *v, const struct ucpki_verify_req *req)
{
	struct ucpki_verdict *vd = calloc(1, sizeof(*vd));

	if (vd == NULL)
		return NULL;
	vd->level = req->level;
	vd->at = v->o.at;
	vd->accepted = 1;
	for (int id = 0; id < UCPKI_CHECK_COUNT; id++)
		vd->checks[id].position = -1;
	return vd;
}

/* One path: built by OpenSSL from req->untrusted and the anchors, then
 * judged by every check of the level. */
static int judge_path(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                      struct ucpki_verdict **out, struct ucpki_err *e)
{
	struct ucpki_verdict *vd = verdict_new(v, req);

	*out = NULL;
	if (vd == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (build_path(v, req, vd, e) != 0 || revocation_check(v, vd, e) != 0) {
		ucpki_verdict_free(vd);
		return -1;
	}
	if (req->level >= UCPKI_LEVEL_FULL) {
		full_checks(vd, req);
	} else {
		note_unchecked(vd, UCPKI_CHECK_IDENTITY);
		note_unchecked(vd, UCPKI_CHECK_EXTENSIONS);
		note_unchecked(vd, UCPKI_CHECK_PROFILE);
	}
	check_key_usage(vd, req);
	if (req->purpose != UCPKI_PURPOSE_ANY || req->key_usage)
		verdict_pass(vd, UCPKI_CHECK_PURPOSE, "usable %s%s%s",
		             req->purpose == UCPKI_PURPOSE_SERVER   ? "as a TLS server"
		             : req->purpose == UCPKI_PURPOSE_CLIENT ? "as a TLS client" : "",
		             req->purpose != UCPKI_PURPOSE_ANY && req->key_usage ? " and " : "",
		             req->key_usage ? "for every key usage asked" : "");
	else
		snprintf(vd->checks[UCPKI_CHECK_PURPOSE].detail, sizeof(vd->checks[0].detail),
		         "no purpose asked");
	pass_summaries(vd);
	explain(vd);
	*out = vd;
	return 0;
}

/* --- Other paths ----------------------------------------------------------- */

/* OpenSSL builds one path: at each step the first issuer that fits. When
 * that path is rejected, other issuers may still lead to an acceptable one
 * (a cross-signed CA, a re-issued intermediate outside a name constraint,
 * an expired alternative): every other path through the certificates
 * offered is tried, up to a bound, and the first accepted wins. */
#define ALT_MAX_PATHS 16
#define ALT_MAX_DEPTH 8

struct alt_search {
	STACK_OF(X509) *pool;      /* untrusted certificates, then anchors */
	int n_untrusted;
	X509 *stack[ALT_MAX_DEPTH];
	int depth;
	STACK_OF(X509) *found[ALT_MAX_PATHS]; /* intermediates of each complete path */
	int n_found;
};

static int on_stack(const struct alt_search *s, X509 *x)
{
	for (int i = 0; i < s->depth; i++)
		if (X509_cmp(s->stack[i], x) == 0)
			return 1;
	return 0;
}

static void alt_record(struct alt_search *s)
{
	STACK_OF(X509) *mid = sk_X509_new_null();

	if (mid == NULL)
		return;
	for (int i = 1; i < s->depth; i++)
		sk_X509_push(mid, s->stack[i]); /* borrowed from the pool */
	s->found[s->n_found++] = mid;
}

/* Extend the path ending at s->stack[depth - 1]. */
static void alt_walk(struct alt_search *s)
{
	X509 *cur = s->stack[s->depth - 1];

	for (int i = 0; i < sk_X509_num(s->pool) && s->n_found < ALT_MAX_PATHS; i++) {
		X509 *cand = sk_X509_value(s->pool, i);
		if (on_stack(s, cand) || X509_check_issued(cand, cur) != X509_V_OK)
			continue;
		if (i >= s->n_untrusted) {
			alt_record(s); /* cand is an anchor: the path ends there */
			continue;
		}
		if (s->depth + 1 < ALT_MAX_DEPTH) {
			s->stack[s->depth++] = cand;
			alt_walk(s);
			s->depth--;
		}
	}
	ERR_clear_error();
}

static int same_path(STACK_OF(X509) *built, STACK_OF(X509) *mid)
{
	if (sk_X509_num(built) < sk_X509_num(mid) + 1)
		return 0;
	for (int i = 0; i < sk_X509_num(mid); i++)
		if (X509_cmp(sk_X509_value(built, i + 1), sk_X509_value(mid, i)) != 0)
			return 0;
	return sk_X509_num(built) == sk_X509_num(mid) + 2;
}

/* A better verdict than *vd through another path, if there is one. */
static int try_other_paths(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                           struct ucpki_verdict **vd, struct ucpki_err *e)
{
	struct alt_search s;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	if ((s.pool = req->untrusted ? sk_X509_dup(req->untrusted) : sk_X509_new_null()) == NULL)
		return 0;
	s.n_untrusted = sk_X509_num(s.pool);
	for (int i = 0; i < sk_X509_num(v->anchors); i++)
		sk_X509_push(s.pool, sk_X509_value(v->anchors, i));
	s.stack[s.depth++] = req->leaf;
	alt_walk(&s);
	for (int i = 0; i < s.n_found && rc == 0 && !(*vd)->accepted; i++) {
		struct ucpki_verify_req alt = *req;
		struct ucpki_verdict *other = NULL;
		if (same_path((*vd)->path, s.found[i]))
			continue;
		alt.untrusted = s.found[i];
		if ((rc = judge_path(v, &alt, &other, e)) == 0 && other->accepted) {
			ucpki_verdict_free(*vd);
			*vd = other;
		} else {
			ucpki_verdict_free(other);
		}
	}
	for (int i = 0; i < s.n_found; i++)
		sk_X509_free(s.found[i]);
	sk_X509_free(s.pool);
	return rc;
}

int ucpki_verify(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                 struct ucpki_verdict **out, struct ucpki_err *e)
{
	struct ucpki_verdict *vd;

	*out = NULL;
	if (check_request(v, req, e) != 0)
		return -1;
	if (req->level == UCPKI_LEVEL_NONE) {
		if ((vd = verdict_new(v, req)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		skip_all(vd, "level none: the certificate only encrypts, nothing is checked");
		if ((vd->path = sk_X509_new_null()) == NULL || !X509_up_ref(req->leaf) ||
		    !sk_X509_push(vd->path, req->leaf)) {
			ucpki_verdict_free(vd);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		*out = vd;
		return 0;
	}
	if (judge_path(v, req, &vd, e) != 0)
		return -1;
	if (!vd->accepted && try_other_paths(v, req, &vd, e) != 0) {
		ucpki_verdict_free(vd);
		return -1;
	}
	*out = vd;
	return 0;
}
