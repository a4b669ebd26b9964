/* Commands of the formats group (table in cmd_formats.c). */
#ifndef UCPKI_CMD_FORMATS_H
#define UCPKI_CMD_FORMATS_H

#include "cli.h"

int cmd_convert(struct cli *c, int argc, char **argv);
int cmd_keystore_list(struct cli *c, int argc, char **argv);
int cmd_keystore_import_ca(struct cli *c, int argc, char **argv);
int cmd_keystore_import_keystore(struct cli *c, int argc, char **argv);
int cmd_keystore_delete(struct cli *c, int argc, char **argv);
int cmd_keystore_passwd(struct cli *c, int argc, char **argv);
int cmd_keystore_export(struct cli *c, int argc, char **argv);

#endif
