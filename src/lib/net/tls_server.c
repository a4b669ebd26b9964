/* A TLS/MTLS test server: accepts one client at a time, records its
 * handshake and certificate, judges the certificate with the caller's
 * verifier, answers one line and closes. */
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "net/net_internal.h"

struct ucpki_tls_server {
	int fd;
	SSL_CTX *ctx;
	char address[80];
	int port;
	int require;
	int handshake_ms;
	ucpki_peer_verify_cb verify;
	void *verify_arg;
	struct ucpki_tls_visit *cur; /* the visit being served */
};

void ucpki_tls_visit_free(struct ucpki_tls_visit *v)
{
	if (v == NULL)
		return;
	sk_X509_pop_free(v->chain, X509_free);
	free(v);
}

void ucpki_tls_server_free(struct ucpki_tls_server *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	SSL_CTX_free(s->ctx);
	free(s);
}

const char *ucpki_tls_server_address(const struct ucpki_tls_server *s)
{
	return s->address;
}

int ucpki_tls_server_port(const struct ucpki_tls_server *s)
{
	return s->port;
}

/* OpenSSL hands us the client's chain; our verifier decides. */
static int judge_client(X509_STORE_CTX *xctx, void *arg)
{
	struct ucpki_tls_server *s = arg;
	struct ucpki_tls_visit *v = s->cur;
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(xctx);
	X509 *leaf = X509_STORE_CTX_get0_cert(xctx);
	int ok = 1;

	if (v->chain == NULL && sent)
		v->chain = X509_chain_up_ref(sent);
	if (s->verify) {
		ok = s->verify(s->verify_arg, leaf, sent, v->verdict, sizeof(v->verdict));
	} else {
		snprintf(v->verdict, sizeof(v->verdict), "not checked (no trust store given)");
	}
	if (!ok && s->require) {
		X509_STORE_CTX_set_error(xctx, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	return 1;
}

static int listen_on(struct ucpki_tls_server *s, const char *bind_addr, int port,
                     struct ucpki_err *e)
{
	struct addrinfo hints, *res = NULL;
	char portstr[16];
	int one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if ((rc = getaddrinfo(bind_addr, portstr, &hints, &res)) != 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: cannot listen there (%s)", bind_addr,
		                     gai_strerror(rc));
	s->fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
	if (s->fd < 0 || setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s->fd, res->ai_addr, res->ai_addrlen) != 0 || listen(s->fd, 16) != 0) {
		int err = errno;
		freeaddrinfo(res);
		return ucpki_err_set(e, UCPKI_E_IO, "cannot listen on %s port %d (%s)", bind_addr, port,
		                     strerror(err));
	}
	freeaddrinfo(res);
	net_peer_string(s->fd, 1, s->address, sizeof(s->address));
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		s->port = port;
		if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) == 0)
			s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
			                                         : ((struct sockaddr_in *)&ss)->sin_port);
	}
	return 0;
}

struct ucpki_tls_server *ucpki_tls_server_new(const struct ucpki_tls_server_opts *o,
                                              struct ucpki_err *e)
{
	struct ucpki_tls_server *s = calloc(1, sizeof(*s));
	int mode = SSL_VERIFY_NONE;

	if (s == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->require = o->require_client_cert;
	s->handshake_ms = o->handshake_timeout_ms > 0 ? o->handshake_timeout_ms : UCPKI_NET_TIMEOUT_MS;
	s->verify = o->verify;
	s->verify_arg = o->verify_arg;
	if ((s->ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot create a TLS context");
		goto fail;
	}
	SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(s->ctx, TLS1_3_VERSION);
	if (SSL_CTX_use_certificate(s->ctx, o->cert) != 1 || SSL_CTX_use_PrivateKey(s->ctx, o->key) != 1 ||
	    SSL_CTX_check_private_key(s->ctx) != 1) {
		ucpki_err_ssl(e, UCPKI_E_INPUT, "the server certificate and key cannot be used together");
		goto fail;
	}
	for (int i = 0; o->chain && i < sk_X509_num(o->chain); i++)
		if (SSL_CTX_add1_chain_cert(s->ctx, sk_X509_value(o->chain, i)) != 1) {
			ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot add a chain certificate");
			goto fail;
		}
	if (o->request_client_cert || o->require_client_cert) {
		mode = SSL_VERIFY_PEER | (o->require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
		SSL_CTX_set_cert_verify_callback(s->ctx, judge_client, s);
		if (o->ca_names) {
			STACK_OF(X509_NAME) *names =
				sk_X509_NAME_deep_copy(o->ca_names, X509_NAME_dup, X509_NAME_free);
			if (names == NULL) {
				ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
				goto fail;
			}
			SSL_CTX_set_client_CA_list(s->ctx, names);
		}
	}
	SSL_CTX_set_verify(s->ctx, mode, NULL);
	/* One short session per client; no tickets to keep. */
	SSL_CTX_set_num_tickets(s->ctx, 0);
	if (listen_on(s, o->bind ? o->bind : "127.0.0.1", o->port, e) != 0)
		goto fail;
	return s;
fail:
	ucpki_tls_server_free(s);
	return NULL;
}

static void describe_failure(struct ucpki_tls_visit *v, const struct net_alert *a, int timed_out)
{
	unsigned long err = ERR_peek_error();

	if (timed_out)
		snprintf(v->failure, sizeof(v->failure), "the client did not complete a TLS handshake in time");
	else if (a->received >= 0)
		snprintf(v->failure, sizeof(v->failure),
		         "the client ended the handshake: alert %s", ucpki_tls_alert_meaning(a->received));
	else if (v->verdict[0] && a->sent >= 0)
		snprintf(v->failure, sizeof(v->failure), "client certificate rejected (see the verdict)");
	else if (a->sent == TLS13_AD_CERTIFICATE_REQUIRED || a->sent == SSL3_AD_HANDSHAKE_FAILURE)
		snprintf(v->failure, sizeof(v->failure),
		         "the client sent no certificate, but one is required");
	else if (err && ERR_GET_REASON(err) == SSL_R_HTTP_REQUEST)
		snprintf(v->failure, sizeof(v->failure), "the client spoke plain HTTP, not TLS");
	else if (err && (ERR_GET_REASON(err) == SSL_R_WRONG_VERSION_NUMBER ||
	                 ERR_GET_REASON(err) == SSL_R_UNKNOWN_PROTOCOL ||
	                 ERR_GET_REASON(err) == SSL_R_PACKET_LENGTH_TOO_LONG))
		snprintf(v->failure, sizeof(v->failure), "the client did not speak TLS");
	else if (err)
		snprintf(v->failure, sizeof(v->failure), "handshake failed (%s)",
		         ERR_reason_error_string(err) ? ERR_reason_error_string(err) : "unknown reason");
	else
		snprintf(v->failure, sizeof(v->failure), "the client closed the connection during the handshake");
	ERR_clear_error();
}

int ucpki_tls_server_serve_one(struct ucpki_tls_server *s, int wait_ms,
                               struct ucpki_tls_visit **out, struct ucpki_err *e)
{
	struct pollfd pfd = {s->fd, POLLIN, 0};
	struct ucpki_tls_visit *v;
	struct net_alert alert;
	SSL *ssl = NULL;
	int cfd, rc;

	*out = NULL;
	rc = poll(&pfd, 1, wait_ms);
	if (rc == 0 || (rc < 0 && errno == EINTR))
		return 0;
	if (rc < 0)
		return ucpki_err_set(e, UCPKI_E_IO, "waiting for clients failed (%s)", strerror(errno));
	if ((cfd = accept(s->fd, NULL, NULL)) < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
			return 0;
		return ucpki_err_set(e, UCPKI_E_IO, "accepting a client failed (%s)", strerror(errno));
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		close(cfd);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	v->when = time(NULL);
	net_peer_string(cfd, 0, v->peer, sizeof(v->peer));
	net_set_nonblocking(cfd, 1);
	if ((ssl = SSL_new(s->ctx)) == NULL || SSL_set_fd(ssl, cfd) != 1) {
		snprintf(v->failure, sizeof(v->failure), "cannot create a TLS session");
		goto done;
	}
	net_alert_watch(ssl, &alert);
	s->cur = v;
	rc = net_ssl_drive(ssl, cfd, SSL_accept, net_now_ms() + s->handshake_ms);
	s->cur = NULL;
	if (SSL_get_current_cipher(ssl)) {
		snprintf(v->protocol, sizeof(v->protocol), "%s", SSL_get_version(ssl));
		snprintf(v->cipher, sizeof(v->cipher), "%s", SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	}
	if (SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name))
		snprintf(v->servername, sizeof(v->servername), "%s",
		         SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name));
	if (rc != 1) {
		describe_failure(v, &alert, rc == 0);
		goto done;
	}
	v->ok = 1;
	{
		char line[160];
		int n = snprintf(line, sizeof(line), "ucpki probe serve: handshake ok (%s)\n", v->protocol);
		long long deadline = net_now_ms() + 1000;
		while (n > 0 && SSL_write(ssl, line, n) <= 0 &&
		       SSL_get_error(ssl, -1) == SSL_ERROR_WANT_WRITE && net_wait(cfd, POLLOUT, deadline) == 1)
			;
		SSL_shutdown(ssl);
	}
done:
	ERR_clear_error();
	SSL_free(ssl);
	close(cfd);
	*out = v;
	return 1;
}
