/* The HTTP response parser of the CRL / OCSP client, on the vectors in
 * tests/vectors/net/http.tsv; host:port parsing. */
#include "testutil.h"

#include "ucpki/net.h"

/* Undo \r \n \t \\ escapes in place; returns the length. */
static size_t unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 'r' ? '\r' : *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void test_http_vectors(void **state)
{
	char path[512], line[2048], *f[5];
	FILE *fp = fopen(vector_path("net/http.tsv", path, sizeof(path)), "r");
	int checked = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		struct ucpki_http_response r;
		struct ucpki_err e = {0};
		char empty[1] = "";
		int nf, rc;
		size_t len;

		if (line[0] == '\t') { /* an empty response */
			memmove(line + 1, line, strlen(line) + 1);
			line[0] = ' ';
			nf = split_fields(line, f, 5);
			f[0] = empty;
		} else {
			nf = split_fields(line, f, 5);
		}
		if (nf == 0)
			continue;
		len = unescape(f[0]);
		rc = ucpki_http_parse_response((const unsigned char *)f[0], len, "http://t/", &r, &e);
		if (strncmp(f[1], "ERR:", 4) == 0) {
			if (rc == 0)
				fail_msg("vector %d accepted, expected '%s'", checked + 1, f[1] + 4);
			if (strstr(e.msg, f[1] + 4) == NULL || strstr(e.msg, "http://t/") == NULL)
				fail_msg("vector %d: '%s' lacks '%s'", checked + 1, e.msg, f[1] + 4);
		} else {
			assert_int_equal(nf, 4);
			if (rc != 0)
				fail_msg("vector %d failed: %s", checked + 1, e.msg);
			assert_int_equal(r.status, atoi(f[1]));
			assert_string_equal(r.content_type, f[2]);
			assert_int_equal(r.body_len, unescape(f[3]));
			assert_memory_equal(r.body, f[3], r.body_len);
			ucpki_http_response_clear(&r);
		}
		checked++;
	}
	fclose(fp);
	assert_true(checked >= 16);
}

static void test_hostport(void **state)
{
	static const struct {
		const char *in, *host;
		int port;
	} ok[] = {
		{"sip.example.com:5061", "sip.example.com", 5061},
		{"192.0.2.1:443", "192.0.2.1", 443},
		{"[fd00::1]:4709", "fd00::1", 4709},
		{"[::1]:1", "::1", 1},
	};
	static const char *const bad[] = {
		"sip.example.com", "::1:443", "host:0", "host:65536", "host:44x", ":443", "[::1]443", "[]:1",
	};
	char host[256];
	int port;
	struct ucpki_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(ucpki_hostport_parse(ok[i].in, host, sizeof(host), &port, &e), 0);
		assert_string_equal(host, ok[i].host);
		assert_int_equal(port, ok[i].port);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ucpki_hostport_parse(bad[i], host, sizeof(host), &port, &e) == 0)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_vectors),
		cmocka_unit_test(test_hostport),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
