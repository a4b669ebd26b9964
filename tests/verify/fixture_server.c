/* A plain-TCP stand-in for the peers the verify tests need and no packaged
 * tool plays: an HTTP server answering a fixed body with a given content
 * type (HTML instead of OCSP, a canned OCSP answer), a text banner, a port
 * that accepts and stays silent, a port that closes at once.
 *
 * usage: fixture_server MODE [FILE CONTENT-TYPE] [--count N]
 *   MODE: http (answer FILE as CONTENT-TYPE), banner, silent, close
 * Listens on 127.0.0.1, port chosen by the system, printed as "PORT n". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		exit(2);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Read the request head (and whatever body arrives right after it). */
static void drain_request(int fd)
{
	char buf[8192];
	size_t got = 0;
	struct timeval tv = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (got < sizeof(buf) - 1) {
		ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		char *end, *cl;
		if (n <= 0)
			return;
		got += (size_t)n;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		cl = strstr(buf, "Content-Length: ");
		if (cl == NULL || got >= (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10))
			return;
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	const char *mode = argc > 1 ? argv[1] : "";
	char *body = NULL;
	size_t blen = 0;
	int count = 1, one = 1, lfd;

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--count") == 0)
			count = atoi(argv[i + 1]);
	if (strcmp(mode, "http") == 0) {
		if (argc < 4)
			return 2;
		body = slurp(argv[2], &blen);
	}
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 8) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0)
		return 2;
	printf("PORT %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	for (int served = 0; served < count; served++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			return 2;
		if (strcmp(mode, "http") == 0) {
			char head[256];
			int n;
			drain_request(fd);
			n = snprintf(head, sizeof(head),
			             "HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
			             argv[3], blen);
			write_all(fd, head, (size_t)n);
			write_all(fd, body, blen);
		} else if (strcmp(mode, "banner") == 0) {
			write_all(fd, "220 mail.example.com ESMTP ready\r\n", 34);
			drain_request(fd);
		} else if (strcmp(mode, "close") == 0) {
			drain_request(fd); /* read first, so the close is a FIN, not a reset */
		} else if (strcmp(mode, "silent") == 0) {
			char buf[4096];
			struct timeval tv = {10, 0};
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			while (recv(fd, buf, sizeof(buf), 0) > 0)
				;
		}
		close(fd);
	}
	free(body);
	return 0;
}
