/*
 * ucpki/net.h - talking to live endpoints: TCP connects with timeouts, a
 * small HTTP/1.0 client (for CRL distribution points and OCSP responders),
 * a TLS 1.2/1.3 probe client that records what a server presents, and a
 * TLS/MTLS test server that records what each client presents.
 *
 * Every failure is reported once in struct ucpki_err with a message that
 * tells the causes apart: a name that does not resolve, a refused
 * connection, no answer within the timeout, a port that does not speak TLS,
 * a TLS alert from the peer. Nothing here prints.
 */
#ifndef UCPKI_NET_H
#define UCPKI_NET_H

#include <stddef.h>
#include <time.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ucpki/err.h"

#define UCPKI_NET_TIMEOUT_MS 5000          /* default connect and handshake timeout */
#define UCPKI_HTTP_MAX_RESPONSE (4u << 20) /* default cap on a fetched CRL / OCSP answer */

/* --- Addresses and TCP -------------------------------------------------- */

/* Split "HOST:PORT" or "[IPv6]:PORT" into host (without brackets) and port
 * (1..65535). A bare IPv6 address without brackets is refused because its
 * last group cannot be told from a port. */
int ucpki_hostport_parse(const char *text, char *host, size_t hostlen, int *port,
                         struct ucpki_err *e);

/* Connect to host:port (name or address) within timeout_ms (0 = default),
 * trying every address the name resolves to. Returns a connected socket in
 * non-blocking mode, or -1 with e saying which of "does not resolve",
 * "connection refused", "no answer within N s", "unreachable" happened.
 * The caller closes the socket. */
int ucpki_tcp_connect(const char *host, int port, int timeout_ms, struct ucpki_err *e);

/* --- HTTP (plain http:// only, as CRL DPs and OCSP responders use) ------- */

struct ucpki_http_response {
	int status;                 /* 200, 404, ... */
	char content_type[128];     /* lower-case, without parameters; "" if absent */
	unsigned char *body;        /* owned; free with ucpki_http_response_clear() */
	size_t body_len;
};

/* Parse a complete HTTP/1.x response held in data (status line, headers,
 * body delimited by Content-Length, chunked encoding or the end of data).
 * The body is copied into r. Fails with UCPKI_E_INPUT on anything that is
 * not a well-formed HTTP response. label names the source in messages. */
int ucpki_http_parse_response(const unsigned char *data, size_t len, const char *label,
                              struct ucpki_http_response *r, struct ucpki_err *e);

/* GET url (body NULL) or POST body with content_type. The response may be
 * at most max_len bytes (0 = UCPKI_HTTP_MAX_RESPONSE) and must arrive within
 * timeout_ms (0 = default). A status other than 200 is an error naming the
 * status. */
int ucpki_http_fetch(const char *url, const char *content_type, const void *body,
                     size_t body_len, size_t max_len, int timeout_ms,
                     struct ucpki_http_response *r, struct ucpki_err *e);

void ucpki_http_response_clear(struct ucpki_http_response *r);

/* --- TLS probe client --------------------------------------------------- */

struct ucpki_tls_client_opts {
	const char *host;           /* name or address to connect to */
	int port;
	const char *servername;     /* SNI; NULL = host when it is a DNS name */
	int no_sni;                 /* send no SNI at all */
	X509 *cert;                 /* client certificate for MTLS (borrowed), or NULL */
	EVP_PKEY *key;              /* its private key (borrowed) */
	STACK_OF(X509) *chain;      /* certificates sent after it (borrowed), or NULL */
	int connect_timeout_ms;     /* 0 = UCPKI_NET_TIMEOUT_MS */
	int handshake_timeout_ms;   /* 0 = UCPKI_NET_TIMEOUT_MS */
	int settle_ms;              /* after the handshake, how long to wait for a
	                               late alert (TLS 1.3 client-cert rejection);
	                               0 = 1000 ms, -1 = don't wait; a session
	                               ticket or data ends the wait early */
};

/* What one handshake showed. Free with ucpki_tls_info_free(). */
struct ucpki_tls_info {
	char peer[80];              /* "192.0.2.1:5061" address actually connected */
	char servername[256];       /* SNI sent ("" none) */
	STACK_OF(X509) *chain;      /* presented chain, in the order sent; owned */
	int completed;              /* 1 when the session was established */
	char protocol[16];          /* "TLSv1.3" */
	char cipher[64];            /* "TLS_AES_256_GCM_SHA384" */
	int client_cert_requested;  /* the server sent a CertificateRequest */
	int client_cert_sent;       /* we answered it with a certificate */
	STACK_OF(X509_NAME) *ca_names; /* CA names of the request; owned, may be NULL */
	char alert[128];            /* TLS alert received from the peer, "" if none */
	char failure[UCPKI_ERR_MAX];/* why the session failed after the server
	                               certificate was seen ("" when completed) */
};

/* Connect, handshake (TLS 1.2 or 1.3), capture. Returns 0 whenever the
 * server presented a certificate (even if it then rejected us: completed is
 * 0 and failure says why), -1 with e for transport failures and ports that
 * do not speak TLS. */
int ucpki_tls_probe(const struct ucpki_tls_client_opts *o, struct ucpki_tls_info **out,
                    struct ucpki_err *e);
void ucpki_tls_info_free(struct ucpki_tls_info *ti);

/* --- TLS test server ---------------------------------------------------- */

/* Judges a client's chain (leaf first). Returns 1 to accept; 0 to reject,
 * with a one-line reason in why. */
typedef int (*ucpki_peer_verify_cb)(void *arg, X509 *leaf, STACK_OF(X509) *chain, char *why,
                                    size_t whylen);

struct ucpki_tls_server_opts {
	const char *bind;           /* address to listen on; NULL = 127.0.0.1 */
	int port;                   /* 0 = any free port (see ucpki_tls_server_port) */
	X509 *cert;                 /* server certificate (borrowed; copied) */
	EVP_PKEY *key;
	STACK_OF(X509) *chain;      /* sent after the certificate, or NULL */
	int request_client_cert;    /* ask for a client certificate */
	int require_client_cert;    /* refuse clients without an accepted one */
	STACK_OF(X509_NAME) *ca_names; /* names sent in the request (borrowed), or NULL */
	ucpki_peer_verify_cb verify; /* judges client certificates; NULL accepts any */
	void *verify_arg;
	int handshake_timeout_ms;   /* 0 = UCPKI_NET_TIMEOUT_MS */
};

/* One client's visit. Free with ucpki_tls_visit_free(). */
struct ucpki_tls_visit {
	char peer[80];              /* client address:port */
	time_t when;
	int ok;                     /* handshake completed and client accepted */
	char protocol[16], cipher[64];
	char servername[256];       /* SNI the client sent */
	STACK_OF(X509) *chain;      /* client certificate chain, or NULL; owned */
	char verdict[UCPKI_ERR_MAX];/* why the client cert was accepted/rejected */
	char failure[UCPKI_ERR_MAX];/* handshake failure, "" when ok */
};

struct ucpki_tls_server;

struct ucpki_tls_server *ucpki_tls_server_new(const struct ucpki_tls_server_opts *o,
                                              struct ucpki_err *e);
/* "127.0.0.1:4433": where it listens. */
const char *ucpki_tls_server_address(const struct ucpki_tls_server *s);
int ucpki_tls_server_port(const struct ucpki_tls_server *s);
/* Wait up to wait_ms (-1 = forever) for one client and serve it: handshake,
 * judge, answer one line, close. Returns 1 with *out filled, 0 when the wait
 * ended without a client (or was interrupted by a signal), -1 on a listener
 * failure. A failed client handshake is a visit (ok = 0), not an error. */
int ucpki_tls_server_serve_one(struct ucpki_tls_server *s, int wait_ms,
                               struct ucpki_tls_visit **out, struct ucpki_err *e);
void ucpki_tls_visit_free(struct ucpki_tls_visit *v);
void ucpki_tls_server_free(struct ucpki_tls_server *s);

/* "TLS alert 'unknown ca' from the peer (it does not trust the CA that
 * issued the certificate)": a reading of the alert for people. */
const char *ucpki_tls_alert_meaning(int alert_description);

#endif
