/* Addresses and TCP connects with a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"

int ucpki_hostport_parse(const char *text, char *host, size_t hostlen, int *port,
                         struct ucpki_err *e)
{
	const char *colon, *h = text;
	size_t n;
	char *end;
	long p;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (close == NULL || close[1] != ':')
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "'%s' is not [IPv6]:PORT (e.g. [fd00::1]:5061)", text);
		h = text + 1;
		n = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT, "'%s' has no port (use HOST:PORT)", text);
		if (memchr(text, ':', (size_t)(colon - text)) != NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "'%s': write an IPv6 address in brackets, e.g. [::1]:5061",
			                     text);
		n = (size_t)(colon - text);
	}
	if (n == 0 || n >= hostlen)
		return ucpki_err_set(e, UCPKI_E_INPUT, "'%s' has no usable host part", text);
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end != '\0' || p < 1 || p > 65535)
		return ucpki_err_set(e, UCPKI_E_INPUT, "'%s': port must be 1..65535", text);
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (int)p;
	return 0;
}

int net_set_nonblocking(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK));
}

long long net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int net_wait(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd pfd = {fd, events, 0};
		long long left = deadline - net_now_ms();
		int rc;

		if (left <= 0)
			return 0;
		rc = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
		if (rc > 0)
			return 1;
		if (rc == 0)
			continue;
		if (errno != EINTR)
			return -1;
	}
}

/* One address: 0 connected, -1 failed with *err set (errno-like; ETIMEDOUT
 * for the deadline). */
static int try_connect(const struct addrinfo *ai, long long deadline, int *fdp, int *err)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	socklen_t len = sizeof(*err);

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (net_set_nonblocking(fd, 1) != 0) {
		*err = errno;
		close(fd);
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
		*fdp = fd;
		return 0;
	}
	if (errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	switch (net_wait(fd, POLLOUT, deadline)) {
	case 0:
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	case -1:
		*err = errno;
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len) != 0 || *err != 0) {
		if (*err == 0)
			*err = errno;
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

static const char *connect_cause(int err, int timeout_ms, char *buf, size_t len)
{
	switch (err) {
	case ECONNREFUSED:
		return "connection refused (nothing listens on that port)";
	case ETIMEDOUT:
		snprintf(buf, len, "no answer within %d.%d s (host down or port filtered)",
		         timeout_ms / 1000, (timeout_ms % 1000) / 100);
		return buf;
	case ENETUNREACH:
	case EHOSTUNREACH:
		return "host unreachable (no route)";
	default:
		snprintf(buf, len, "cannot connect (%s)", strerror(err));
		return buf;
	}
}

int ucpki_tcp_connect(const char *host, int port, int timeout_ms, struct ucpki_err *e)
{
	struct addrinfo hints, *res = NULL;
	char portstr[16], why[96];
	long long deadline;
	int rc, fd = -1, err = 0;

	if (timeout_ms <= 0)
		timeout_ms = UCPKI_NET_TIMEOUT_MS;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc == EAI_NONAME || rc == EAI_FAMILY) {
		/* AI_ADDRCONFIG hides loopback-only families; retry without it */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, portstr, &hints, &res);
	}
	if (rc != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: name does not resolve (%s)", host,
		                     gai_strerror(rc));
	deadline = net_now_ms() + timeout_ms;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (try_connect(ai, deadline, &fd, &err) == 0)
			break;
		fd = -1;
		if (err == ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s:%d: %s", host, port,
		                     connect_cause(err, timeout_ms, why, sizeof(why)));
	return fd;
}

void net_peer_string(int fd, int local, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char h[64], p[16];

	buf[0] = '\0';
	if ((local ? getsockname(fd, (struct sockaddr *)&ss, &sl)
	           : getpeername(fd, (struct sockaddr *)&ss, &sl)) != 0)
		return;
	if (getnameinfo((struct sockaddr *)&ss, sl, h, sizeof(h), p, sizeof(p),
	                NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return;
	if (ss.ss_family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", h, p);
	else
		snprintf(buf, len, "%s:%s", h, p);
}
