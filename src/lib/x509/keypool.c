/* Bulk key generation on several threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "ucpki/x509.h"

struct keyjob {
	const struct ucpki_keyspec *ks;
	EVP_PKEY **out;
	int n, next, failed;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct keyjob *j = arg;

	for (;;) {
		int i;
		pthread_mutex_lock(&j->lock);
		i = j->failed ? j->n : j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->n)
			break;
		if ((j->out[i] = ucpki_key_generate(j->ks, NULL)) == NULL) {
			pthread_mutex_lock(&j->lock);
			j->failed = 1;
			pthread_mutex_unlock(&j->lock);
		}
	}
	ERR_clear_error();
	return NULL;
}

int ucpki_keys_generate(const struct ucpki_keyspec *ks, int n, int threads, EVP_PKEY **out,
                        struct ucpki_err *e)
{
	struct keyjob j = {ks, out, n, 0, 0, PTHREAD_MUTEX_INITIALIZER};
	pthread_t tid[64];
	int started = 0;

	if (n <= 0)
		return 0;
	memset(out, 0, (size_t)n * sizeof(*out));
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	for (int t = 1; t < threads; t++)
		if (pthread_create(&tid[started], NULL, worker, &j) == 0)
			started++;
	worker(&j); /* the calling thread works too */
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&j.lock);
	if (j.failed) {
		for (int i = 0; i < n; i++) {
			EVP_PKEY_free(out[i]);
			out[i] = NULL;
		}
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "key generation failed");
	}
	return 0;
}
