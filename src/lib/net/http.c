/* A small HTTP/1.0 client for CRLs and OCSP: one request, one response,
 * bounded in size and time. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_internal.h"

#define HTTP_HEAD_MAX 16384 /* status line and headers */

void ucpki_http_response_clear(struct ucpki_http_response *r)
{
	if (r == NULL)
		return;
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* The end of the line starting at p (pointing at "\r\n" or "\n"), or NULL. */
static const unsigned char *line_end(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));

	if (nl == NULL)
		return NULL;
	return (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
}

static const unsigned char *skip_eol(const unsigned char *p)
{
	return p + (*p == '\r' ? 2 : 1);
}

static int parse_status_line(const unsigned char *p, const unsigned char *eol, const char *label,
                             int *status, struct ucpki_err *e)
{
	size_t n = (size_t)(eol - p);

	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !isdigit(p[7]) || p[8] != ' ' ||
	    !isdigit(p[9]) || !isdigit(p[10]) || !isdigit(p[11]) || (n > 12 && p[12] != ' '))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: the answer is not an HTTP response",
		                     label);
	*status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	return 0;
}

/* Header name match, case-insensitive, followed by ':'. Returns the value
 * start (spaces skipped) or NULL. */
static const unsigned char *header_value(const unsigned char *p, const unsigned char *eol,
                                         const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(eol - p) <= n || strncasecmp((const char *)p, name, n) != 0 || p[n] != ':')
		return NULL;
	p += n + 1;
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A decimal (Content-Length) or hex (chunk size, extensions after ';'
 * ignored) number filling the rest of the line. */
static int parse_size(const unsigned char *p, const unsigned char *eol, int base, size_t *out)
{
	size_t v = 0;
	int digits = 0;

	for (; p < eol && (base == 16 ? isxdigit(*p) : isdigit(*p)); p++, digits++) {
		size_t d = isdigit(*p) ? (size_t)(*p - '0') : (size_t)(tolower(*p) - 'a' + 10);
		if (v > (SIZE_MAX - d) / (size_t)base)
			return -1;
		v = v * (size_t)base + d;
	}
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	if (digits == 0 || (p < eol && !(base == 16 && *p == ';')))
		return -1;
	*out = v;
	return 0;
}

static int set_body(struct ucpki_http_response *r, const unsigned char *p, size_t n,
                    struct ucpki_err *e)
{
	unsigned char *b = malloc(n + 1);

	if (b == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	memcpy(b, p, n);
	b[n] = '\0';
	r->body = b;
	r->body_len = n;
	return 0;
}

static int dechunk(struct ucpki_http_response *r, const unsigned char *p,
                   const unsigned char *end, const char *label, struct ucpki_err *e)
{
	unsigned char *b = malloc((size_t)(end - p) + 1);
	size_t n = 0;

	if (b == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (;;) {
		const unsigned char *eol = line_end(p, end);
		size_t sz;

		if (eol == NULL || parse_size(p, eol, 16, &sz) != 0)
			goto bad;
		p = skip_eol(eol);
		if (sz == 0)
			break;
		if (sz > (size_t)(end - p))
			goto bad;
		memcpy(b + n, p, sz);
		n += sz;
		p += sz;
		if (p < end && *p == '\r')
			p++;
		if (p >= end || *p != '\n')
			goto bad;
		p++;
	}
	b[n] = '\0';
	r->body = b;
	r->body_len = n;
	return 0;
bad:
	free(b);
	return ucpki_err_set(e, UCPKI_E_INPUT, "%s: broken chunked HTTP body", label);
}

int ucpki_http_parse_response(const unsigned char *data, size_t len, const char *label,
                              struct ucpki_http_response *r, struct ucpki_err *e)
{
	const unsigned char *p = data, *end = data + len, *eol;
	size_t clen = 0;
	int have_clen = 0, chunked = 0;

	memset(r, 0, sizeof(*r));
	if ((eol = line_end(p, end)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: the answer is not an HTTP response",
		                     label);
	if (parse_status_line(p, eol, label, &r->status, e) != 0)
		return -1;
	for (p = skip_eol(eol);; p = skip_eol(eol)) {
		const unsigned char *v;
		if (p >= end || (eol = line_end(p, end)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: HTTP headers end too early", label);
		if (eol == p)
			break;
		if ((v = header_value(p, eol, "Content-Type")) != NULL) {
			size_t n = 0;
			while (v + n < eol && v[n] != ';' && v[n] != ' ' &&
			       n + 1 < sizeof(r->content_type)) {
				r->content_type[n] = (char)tolower(v[n]);
				n++;
			}
			r->content_type[n] = '\0';
		} else if ((v = header_value(p, eol, "Content-Length")) != NULL) {
			if (parse_size(v, eol, 10, &clen) != 0)
				return ucpki_err_set(e, UCPKI_E_INPUT, "%s: bad Content-Length", label);
			have_clen = 1;
		} else if ((v = header_value(p, eol, "Transfer-Encoding")) != NULL) {
			chunked = (size_t)(eol - v) >= 7 && strncasecmp((const char *)v, "chunked", 7) == 0;
		}
	}
	p = skip_eol(eol);
	if (chunked)
		return dechunk(r, p, end, label, e);
	if (have_clen) {
		if (clen > (size_t)(end - p))
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "%s: HTTP body shorter than its Content-Length", label);
		return set_body(r, p, clen, e);
	}
	return set_body(r, p, (size_t)(end - p), e);
}

struct url {
	char host[256];
	int port;
	char path[1024];
};

static int url_parse(const char *url, struct url *u, struct ucpki_err *e)
{
	const char *p, *slash;
	char hostport[300];
	size_t n;

	if (strncasecmp(url, "https://", 8) == 0)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: only http:// URLs are fetched (CRLs and OCSP are signed, "
		                     "RFC 5280 publishes them over plain HTTP)", url);
	if (strncasecmp(url, "http://", 7) != 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: not an http:// URL", url);
	p = url + 7;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (n == 0 || n >= sizeof(hostport))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: URL has no host", url);
	memcpy(hostport, p, n);
	hostport[n] = '\0';
	snprintf(u->path, sizeof(u->path), "%s", slash ? slash : "/");
	for (const char *q = u->path; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: URL path has a space or control", url);
	if (strchr(hostport, ':') == NULL || (hostport[0] == '[' && hostport[n - 1] == ']')) {
		const char *h = hostport;
		size_t hl = n;
		if (h[0] == '[') {
			h++;
			hl -= 2;
		}
		if (hl == 0 || hl >= sizeof(u->host))
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: URL has no host", url);
		memcpy(u->host, h, hl);
		u->host[hl] = '\0';
		u->port = 80;
		return 0;
	}
	if (ucpki_hostport_parse(hostport, u->host, sizeof(u->host), &u->port, e) != 0) {
		ucpki_err_prefix(e, "%s: ", url);
		return -1;
	}
	return 0;
}

static int send_all(int fd, const void *data, size_t len, long long deadline, const char *url,
                    struct ucpki_err *e)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (net_wait(fd, POLLOUT, deadline) != 1)
				return ucpki_err_set(e, UCPKI_E_IO, "%s: timed out sending the request", url);
			continue;
		}
		return ucpki_err_set(e, UCPKI_E_IO, "%s: connection lost sending the request (%s)",
		                     url, strerror(errno));
	}
	return 0;
}

static int recv_all(int fd, size_t max, long long deadline, int timeout_ms, const char *url,
                    unsigned char **out, size_t *outlen, struct ucpki_err *e)
{
	size_t cap = 8192, len = 0;
	unsigned char *buf = malloc(cap);

	if (buf == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (;;) {
		ssize_t n;
		if (len == cap) {
			unsigned char *nb;
			if (cap >= max) {
				free(buf);
				return ucpki_err_set(e, UCPKI_E_INPUT,
				                     "%s: answer larger than %zu bytes, refused", url, max);
			}
			cap = cap * 2 > max ? max : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			}
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		if (errno == EAGAIN || errno == EINTR) {
			if (net_wait(fd, POLLIN, deadline) != 1) {
				free(buf);
				return ucpki_err_set(e, UCPKI_E_IO, "%s: no complete answer within %d s",
				                     url, (timeout_ms + 999) / 1000);
			}
			continue;
		}
		free(buf);
		return ucpki_err_set(e, UCPKI_E_IO, "%s: connection lost (%s)", url, strerror(errno));
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int ucpki_http_fetch(const char *url, const char *content_type, const void *body,
                     size_t body_len, size_t max_len, int timeout_ms,
                     struct ucpki_http_response *r, struct ucpki_err *e)
{
	struct url u;
	char head[1600];
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	long long deadline;
	int fd, n, rc = -1;

	memset(r, 0, sizeof(*r));
	if (max_len == 0)
		max_len = UCPKI_HTTP_MAX_RESPONSE;
	if (timeout_ms <= 0)
		timeout_ms = UCPKI_NET_TIMEOUT_MS;
	if (url_parse(url, &u, e) != 0)
		return -1;
	deadline = net_now_ms() + timeout_ms;
	if ((fd = ucpki_tcp_connect(u.host, u.port, timeout_ms, e)) < 0) {
		ucpki_err_prefix(e, "%s: ", url);
		return -1;
	}
	if (body)
		n = snprintf(head, sizeof(head),
		             "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: %s\r\n"
		             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		             u.path, u.host, content_type ? content_type : "application/octet-stream",
		             body_len);
	else
		n = snprintf(head, sizeof(head), "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n",
		             u.path, u.host);
	if (n < 0 || (size_t)n >= sizeof(head)) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: URL too long", url);
		goto out;
	}
	if (send_all(fd, head, (size_t)n, deadline, url, e) != 0 ||
	    (body && send_all(fd, body, body_len, deadline, url, e) != 0) ||
	    recv_all(fd, max_len + HTTP_HEAD_MAX, deadline, timeout_ms, url, &raw, &rawlen, e) != 0)
		goto out;
	if (rawlen == 0) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: the server closed the connection without answering",
		              url);
		goto out;
	}
	if (ucpki_http_parse_response(raw, rawlen, url, r, e) != 0)
		goto out;
	if (r->status != 200) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: HTTP status %d", url, r->status);
		ucpki_http_response_clear(r);
		goto out;
	}
	if (r->body_len > max_len) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: answer larger than %zu bytes, refused", url,
		              max_len);
		ucpki_http_response_clear(r);
		goto out;
	}
	rc = 0;
out:
	free(raw);
	close(fd);
	return rc;
}
