/* Where the profiles shipped with ucpki are: see ucpki_profiles_shipped_dir(). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucpki/profiles.h"

/* Set by the build: the profiles' place relative to the installed program's
 * directory, the installed directory itself, and the source tree's. */
#ifndef UCPKI_PROFILES_RELDIR
#define UCPKI_PROFILES_RELDIR "../share/ucpki/profiles"
#endif
#ifndef UCPKI_PROFILES_INSTALL_DIR
#define UCPKI_PROFILES_INSTALL_DIR "/usr/local/share/ucpki/profiles"
#endif
#ifndef UCPKI_PROFILES_DIR
#define UCPKI_PROFILES_DIR UCPKI_PROFILES_INSTALL_DIR
#endif

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* UCPKI_PROFILES_RELDIR beside the running program, resolved, if it exists. */
static int beside_program(char *out, size_t len)
{
	char exe[PATH_MAX], cand[PATH_MAX + 64], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';
	snprintf(cand, sizeof(cand), "%s/%s", exe, UCPKI_PROFILES_RELDIR);
	if (realpath(cand, real) == NULL || !is_dir(real) || strlen(real) >= len)
		return -1;
	memcpy(out, real, strlen(real) + 1);
	return 0;
}

static int fixed_dir(const char *dir, char *out, size_t len)
{
	if (!is_dir(dir) || strlen(dir) >= len)
		return -1;
	memcpy(out, dir, strlen(dir) + 1);
	return 0;
}

int ucpki_profiles_shipped_dir(char *buf, size_t len, struct ucpki_err *e)
{
	const char *env = getenv("UCPKI_PROFILES");

	if (env && *env) {
		if (strlen(env) >= len)
			return ucpki_err_set(e, UCPKI_E_INPUT, "profiles directory name too long: %s",
			                     env);
		memcpy(buf, env, strlen(env) + 1);
		return 0;
	}
	if (beside_program(buf, len) == 0 || fixed_dir(UCPKI_PROFILES_DIR, buf, len) == 0 ||
	    fixed_dir(UCPKI_PROFILES_INSTALL_DIR, buf, len) == 0)
		return 0;
	return ucpki_err_set(e, UCPKI_E_NOTFOUND,
	                     "no product profiles found: neither %s beside the program nor %s "
	                     "nor %s exists (set UCPKI_PROFILES to their directory)",
	                     UCPKI_PROFILES_RELDIR, UCPKI_PROFILES_DIR, UCPKI_PROFILES_INSTALL_DIR);
}

struct ucpki_profile_set *ucpki_profiles_load_shipped(const char *user_dir,
                                                      struct ucpki_warnings *w,
                                                      struct ucpki_err *e)
{
	char dir[PATH_MAX];

	if (ucpki_profiles_shipped_dir(dir, sizeof(dir), e) != 0)
		return NULL;
	return ucpki_profiles_load(dir, user_dir, w, e);
}
