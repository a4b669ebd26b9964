/* Time conversions: RFC 3339 text, ASN1_TIME. All UTC. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ucpki/x509.h"

const char *ucpki_time_string(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
	return buf;
}

int ucpki_asn1_time_to_t(const ASN1_TIME *a, time_t *t)
{
	struct tm tm;

	if (a == NULL || !ASN1_TIME_to_tm(a, &tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

int ucpki_time_parse(const char *text, time_t *t, struct ucpki_err *e)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0, n = 0, off = 0;
	const char *p;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		goto bad;
	p = text + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &n) != 3)
			goto bad;
		p += 1 + n;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) != 2)
				goto bad;
			off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
			p += 1 + n;
		} else {
			goto bad;
		}
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*t = timegm(&tm) - off;
	return 0;
bad:
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "bad time '%s' (use RFC 3339, e.g. 2026-05-01T12:00:00Z)", text);
}
