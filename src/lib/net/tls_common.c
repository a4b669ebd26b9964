/* What the TLS client and the test server share: the non-blocking handshake
 * loop, the alert watcher and the reading of alerts for people. */
#include <poll.h>
#include <string.h>

#include <openssl/err.h>

#include "net/net_internal.h"

int net_ssl_drive(SSL *ssl, int fd, int (*step)(SSL *), long long deadline)
{
	for (;;) {
		int rc = step(ssl), w;
		if (rc == 1)
			return 1;
		switch (SSL_get_error(ssl, rc)) {
		case SSL_ERROR_WANT_READ:
			w = net_wait(fd, POLLIN, deadline);
			break;
		case SSL_ERROR_WANT_WRITE:
			w = net_wait(fd, POLLOUT, deadline);
			break;
		default:
			return -1;
		}
		if (w == 0)
			return 0;
		if (w < 0)
			return -1;
	}
}

static void alert_cb(int write_p, int version, int content_type, const void *buf, size_t len,
                     SSL *ssl, void *arg)
{
	struct net_alert *a = arg;
	const unsigned char *b = buf;

	(void)version;
	(void)ssl;
	if (content_type != SSL3_RT_ALERT || len < 2)
		return;
	if (write_p)
		a->sent = b[1];
	else
		a->received = b[1];
}

void net_alert_watch(SSL *ssl, struct net_alert *a)
{
	a->received = -1;
	a->sent = -1;
	SSL_set_msg_callback(ssl, alert_cb);
	SSL_set_msg_callback_arg(ssl, a);
}

const char *ucpki_tls_alert_meaning(int d)
{
	static const struct {
		int d;
		const char *text;
	} t[] = {
		{SSL3_AD_CLOSE_NOTIFY, "close notify"},
		{SSL3_AD_HANDSHAKE_FAILURE,
		 "handshake failure (no common protocol, cipher or signature algorithm, or a "
		 "required client certificate was missing)"},
		{SSL3_AD_BAD_CERTIFICATE, "bad certificate (the peer rejected the certificate)"},
		{SSL3_AD_UNSUPPORTED_CERTIFICATE, "unsupported certificate"},
		{SSL3_AD_CERTIFICATE_REVOKED, "certificate revoked"},
		{SSL3_AD_CERTIFICATE_EXPIRED, "certificate expired"},
		{SSL3_AD_CERTIFICATE_UNKNOWN, "certificate unknown (the peer rejected the certificate)"},
		{SSL3_AD_ILLEGAL_PARAMETER, "illegal parameter"},
		{TLS1_AD_UNKNOWN_CA,
		 "unknown CA (the peer does not trust the CA that issued the certificate)"},
		{TLS1_AD_ACCESS_DENIED, "access denied"},
		{TLS1_AD_DECODE_ERROR, "decode error"},
		{TLS1_AD_DECRYPT_ERROR, "decrypt error (signature or key check failed)"},
		{TLS1_AD_PROTOCOL_VERSION, "protocol version (no TLS version in common)"},
		{TLS1_AD_INSUFFICIENT_SECURITY, "insufficient security"},
		{TLS1_AD_INTERNAL_ERROR, "internal error"},
		{TLS1_AD_UNRECOGNIZED_NAME, "unrecognized name (the server knows no such SNI name)"},
		{TLS13_AD_CERTIFICATE_REQUIRED,
		 "certificate required (the server requires a client certificate)"},
		{TLS1_AD_NO_APPLICATION_PROTOCOL, "no application protocol"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].d == d)
			return t[i].text;
	return SSL_alert_desc_string_long(d);
}
