/* The probe: one TLS 1.2/1.3 handshake that records what the server shows
 * (chain, protocol, cipher, client-certificate request and its CA names)
 * and tells apart the ways a port can fail to be a TLS server. */
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "net/net_internal.h"
#include "ucpki/x509.h"

#define SEEN_MAX 64 /* first bytes the server sent, kept to explain non-TLS ports */

struct probe {
	struct ucpki_tls_info *ti;
	struct net_alert alert;
	unsigned char seen[SEEN_MAX];
	size_t nseen;
	int have_cert;
	int ticket;        /* a TLS 1.3 session ticket arrived: the server accepted us */
};

void ucpki_tls_info_free(struct ucpki_tls_info *ti)
{
	if (ti == NULL)
		return;
	sk_X509_pop_free(ti->chain, X509_free);
	sk_X509_NAME_pop_free(ti->ca_names, X509_NAME_free);
	free(ti);
}

/* Called by OpenSSL with the chain the server sent; we keep a copy and let
 * the handshake go on: judging the chain is the verifier's job, later. */
static int capture_chain(X509_STORE_CTX *ctx, void *arg)
{
	struct probe *pr = arg;
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(ctx);

	if (pr->ti->chain == NULL && sent != NULL)
		pr->ti->chain = X509_chain_up_ref(sent);
	return 1;
}

/* Called when the server sends a CertificateRequest. */
static int on_cert_request(SSL *ssl, void *arg)
{
	struct probe *pr = arg;
	STACK_OF(X509_NAME) *names = SSL_get_client_CA_list(ssl);

	pr->ti->client_cert_requested = 1;
	pr->ti->client_cert_sent = pr->have_cert;
	if (pr->ti->ca_names == NULL && names != NULL)
		pr->ti->ca_names = sk_X509_NAME_deep_copy(names, X509_NAME_dup, X509_NAME_free);
	return 1;
}

/* A new session ticket: in TLS 1.3 the server sends it once it has
 * accepted the client, so waiting for a late rejection can stop. */
static int on_ticket(SSL *ssl, SSL_SESSION *sess)
{
	struct probe *pr = SSL_get_app_data(ssl);

	(void)sess;
	if (pr)
		pr->ticket = 1;
	return 0; /* not kept */
}

static long record_reads(BIO *b, int oper, const char *argp, size_t len, int argi, long argl,
                         int ret, size_t *processed)
{
	struct probe *pr = (struct probe *)BIO_get_callback_arg(b);

	(void)len;
	(void)argi;
	(void)argl;
	if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed && pr->nseen < SEEN_MAX) {
		size_t n = *processed;
		if (n > SEEN_MAX - pr->nseen)
			n = SEEN_MAX - pr->nseen;
		memcpy(pr->seen + pr->nseen, argp, n);
		pr->nseen += n;
	}
	return ret;
}

static SSL_CTX *client_ctx(const struct ucpki_tls_client_opts *o, struct probe *pr,
                           struct ucpki_err *e)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot create a TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, capture_chain, pr);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, on_ticket);
	if (o->cert) {
		if (SSL_CTX_use_certificate(ctx, o->cert) != 1 ||
		    SSL_CTX_use_PrivateKey(ctx, o->key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
			ucpki_err_ssl(e, UCPKI_E_INPUT,
			              "the client certificate and key cannot be used together");
			SSL_CTX_free(ctx);
			return NULL;
		}
		for (int i = 0; o->chain && i < sk_X509_num(o->chain); i++)
			if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(o->chain, i)) != 1) {
				ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot add a client chain certificate");
				SSL_CTX_free(ctx);
				return NULL;
			}
		pr->have_cert = 1;
	}
	return ctx;
}

static int is_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(isprint(p[i]) || p[i] == '\r' || p[i] == '\n' || p[i] == '\t'))
			return 0;
	return n > 0;
}

/* First line of what a non-TLS server said, printable. */
static void first_line(const unsigned char *p, size_t n, char *out, size_t len)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < len && p[i] != '\r' && p[i] != '\n'; i++)
		out[j++] = (char)p[i];
	out[j] = '\0';
}

/* OpenSSL stops reading after a record header that is not TLS; fetch a few
 * more bytes so the message can quote the server's first line. */
static void read_more(int fd, struct probe *pr)
{
	long long deadline = net_now_ms() + 200;

	while (pr->nseen < SEEN_MAX && memchr(pr->seen, '\n', pr->nseen) == NULL &&
	       net_wait(fd, POLLIN, deadline) == 1) {
		ssize_t n = recv(fd, pr->seen + pr->nseen, SEEN_MAX - pr->nseen, 0);
		if (n <= 0)
			break;
		pr->nseen += (size_t)n;
	}
}

/* Why a handshake failed before any server certificate was seen. */
static int explain_early_failure(const struct ucpki_tls_client_opts *o, struct probe *pr,
                                 int timed_out, int hs_ms, struct ucpki_err *e)
{
	char line[SEEN_MAX + 1];
	unsigned long err = ERR_peek_error();

	if (pr->alert.received >= 0) {
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_IO, "%s:%d: the server refused the TLS handshake: "
		                     "alert %s", o->host, o->port,
		                     ucpki_tls_alert_meaning(pr->alert.received));
	}
	if (pr->nseen > 0 && pr->seen[0] != 0x16 && pr->seen[0] != 0x15) {
		ERR_clear_error();
		if (is_text(pr->seen, pr->nseen)) {
			first_line(pr->seen, pr->nseen, line, sizeof(line));
			return ucpki_err_set(e, UCPKI_E_IO,
			                     "%s:%d: not a TLS port: the server answered in plain text "
			                     "('%s')", o->host, o->port, line);
		}
		return ucpki_err_set(e, UCPKI_E_IO,
		                     "%s:%d: not a TLS port: the server answered with non-TLS bytes",
		                     o->host, o->port);
	}
	if (timed_out) {
		ERR_clear_error();
		if (pr->nseen == 0)
			return ucpki_err_set(e, UCPKI_E_IO,
			                     "%s:%d: connected, but no TLS answer within %d.%d s (the "
			                     "port does not speak TLS, e.g. plain TCP waiting for its "
			                     "own protocol)", o->host, o->port, hs_ms / 1000,
			                     (hs_ms % 1000) / 100);
		return ucpki_err_set(e, UCPKI_E_IO, "%s:%d: TLS handshake did not finish within %d.%d s",
		                     o->host, o->port, hs_ms / 1000, (hs_ms % 1000) / 100);
	}
	if (pr->nseen == 0) {
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_IO,
		                     "%s:%d: the server closed the connection without a TLS answer "
		                     "(not a TLS port, or it refused our ClientHello)", o->host, o->port);
	}
	if (err == 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s:%d: TLS handshake failed", o->host, o->port);
	return ucpki_err_ssl(e, UCPKI_E_IO, "%s:%d: TLS handshake failed", o->host, o->port);
}

/* The server saw our certificate (or its absence) and may still say no:
 * in TLS 1.3 that alert comes after our side finished. Wait for it, for a
 * session ticket or data (both mean the server accepted us), or the end of
 * settle_ms. */
static void settle(SSL *ssl, int fd, const struct ucpki_tls_client_opts *o, struct probe *pr)
{
	int ms = o->settle_ms == 0 ? 1000 : o->settle_ms;
	long long deadline = net_now_ms() + ms;
	unsigned char buf[256];

	if (ms < 0 || !pr->ti->client_cert_requested)
		return;
	for (;;) {
		int n = SSL_read(ssl, buf, sizeof(buf));
		int err;
		if (n > 0 || pr->ticket)
			break;
		err = SSL_get_error(ssl, n);
		if (err == SSL_ERROR_WANT_READ && !pr->ticket && net_wait(fd, POLLIN, deadline) == 1)
			continue;
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_ZERO_RETURN)
			break;
		if (pr->alert.received >= 0) {
			pr->ti->completed = 0;
			snprintf(pr->ti->failure, sizeof(pr->ti->failure),
			         "the server rejected the session after the handshake: alert %s",
			         ucpki_tls_alert_meaning(pr->alert.received));
		}
		break;
	}
	ERR_clear_error();
}

static const char *sni_for(const struct ucpki_tls_client_opts *o)
{
	unsigned char addr[16];
	int alen;

	if (o->no_sni)
		return NULL;
	if (o->servername && *o->servername)
		return o->servername;
	if (ucpki_parse_ip(o->host, addr, &alen))
		return NULL; /* RFC 6066: SNI carries host names only */
	return o->host;
}

int ucpki_tls_probe(const struct ucpki_tls_client_opts *o, struct ucpki_tls_info **out,
                    struct ucpki_err *e)
{
	struct probe pr;
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	BIO *bio = NULL;
	const char *sni = sni_for(o);
	int hs_ms = o->handshake_timeout_ms > 0 ? o->handshake_timeout_ms : UCPKI_NET_TIMEOUT_MS;
	int fd = -1, rc;

	*out = NULL;
	memset(&pr, 0, sizeof(pr));
	if ((pr.ti = calloc(1, sizeof(*pr.ti))) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if ((ctx = client_ctx(o, &pr, e)) == NULL)
		goto fail;
	if ((fd = ucpki_tcp_connect(o->host, o->port, o->connect_timeout_ms, e)) < 0)
		goto fail;
	net_peer_string(fd, 0, pr.ti->peer, sizeof(pr.ti->peer));
	if ((ssl = SSL_new(ctx)) == NULL || (bio = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot create a TLS session");
		goto fail;
	}
	BIO_set_callback_ex(bio, record_reads);
	BIO_set_callback_arg(bio, (char *)&pr);
	SSL_set_bio(ssl, bio, bio);
	bio = NULL;
	SSL_set_cert_cb(ssl, on_cert_request, &pr);
	SSL_set_app_data(ssl, &pr);
	net_alert_watch(ssl, &pr.alert);
	if (sni) {
		SSL_set_tlsext_host_name(ssl, sni);
		snprintf(pr.ti->servername, sizeof(pr.ti->servername), "%s", sni);
	}
	rc = net_ssl_drive(ssl, fd, SSL_connect, net_now_ms() + hs_ms);
	if (rc != 1 && sk_X509_num(pr.ti->chain) <= 0) {
		if (pr.nseen > 0 && pr.seen[0] != 0x16 && pr.seen[0] != 0x15)
			read_more(fd, &pr);
		explain_early_failure(o, &pr, rc == 0, hs_ms, e);
		goto fail;
	}
	if (rc == 1) {
		pr.ti->completed = 1;
		settle(ssl, fd, o, &pr);
	} else if (rc == 0) {
		snprintf(pr.ti->failure, sizeof(pr.ti->failure),
		         "the handshake did not finish within %d ms", hs_ms);
	} else if (pr.alert.received >= 0) {
		snprintf(pr.ti->failure, sizeof(pr.ti->failure), "the server ended the handshake: alert %s",
		         ucpki_tls_alert_meaning(pr.alert.received));
	} else {
		unsigned long err = ERR_peek_error();
		snprintf(pr.ti->failure, sizeof(pr.ti->failure), "the handshake failed (%s)",
		         err ? ERR_reason_error_string(err) : "connection closed");
	}
	ERR_clear_error();
	if (SSL_get_current_cipher(ssl)) {
		snprintf(pr.ti->protocol, sizeof(pr.ti->protocol), "%s", SSL_get_version(ssl));
		snprintf(pr.ti->cipher, sizeof(pr.ti->cipher), "%s",
		         SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	}
	if (pr.alert.received >= 0)
		snprintf(pr.ti->alert, sizeof(pr.ti->alert), "%s",
		         SSL_alert_desc_string_long(pr.alert.received));
	if (pr.ti->completed)
		SSL_shutdown(ssl);
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	*out = pr.ti;
	return 0;
fail:
	BIO_free(bio);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	ucpki_tls_info_free(pr.ti);
	return -1;
}
