/* Command table of the formats group (see cli.h). */
#include "cli.h"

const struct cmd cmds_formats[] = {
	CMD_END,
};
