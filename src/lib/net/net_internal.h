/* Private helpers of the net module. */
#ifndef UCPKI_NET_INTERNAL_H
#define UCPKI_NET_INTERNAL_H

#include <stddef.h>

#include "ucpki/net.h"

/* Monotonic milliseconds. */
long long net_now_ms(void);
/* poll() one fd for events until the absolute deadline: 1 ready, 0 timed
 * out, -1 error. */
int net_wait(int fd, short events, long long deadline);
int net_set_nonblocking(int fd, int on);
/* "addr:port" of the peer (local = 0) or of our end (local = 1). */
void net_peer_string(int fd, int local, char *buf, size_t len);

/* Drive an SSL handshake on a non-blocking socket until done, failed or
 * deadline. Returns 1 done, 0 timed out, -1 failed (OpenSSL error queue
 * holds the reason). */
int net_ssl_drive(SSL *ssl, int fd, int (*step)(SSL *), long long deadline);

/* Text of the last alert seen by the SSL's message callback. */
struct net_alert {
	int received;      /* description of an alert received, -1 none */
	int sent;          /* description of an alert we sent, -1 none */
};
void net_alert_watch(SSL *ssl, struct net_alert *a);

#endif
