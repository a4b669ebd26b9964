/* Command table of the formats group (see cli.h). */
#include "cmd_formats.h"

const struct cmd cmds_formats[] = {
	{"convert", cmd_convert,
	 "IN --format pem|der|pkcs1|pkcs8|p12|jks|p7b --out F [--key F] [--chain F] [--alias A] "
	 "[--password-file F] [--new-password-file F] [--encrypt aes256|des3] [--legacy] "
	 "[--order cert,key,chain,root]",
	 "Convert certificates, keys and keystores between formats; write bundles."},
	{"keystore list", cmd_keystore_list, "STORE [-v] [--password-file F]",
	 "List a JKS or PKCS#12 keystore's entries (keytool -list)."},
	{"keystore import-ca", cmd_keystore_import_ca,
	 "STORE --alias A --file CERT [--password-file F] [--type jks|p12]",
	 "Add trusted CA certificates; creates STORE if absent (keytool -importcert -trustcacerts)."},
	{"keystore import-keystore", cmd_keystore_import_keystore,
	 "--src F --dest F [--src-password-file F] [--dest-password-file F] [--src-alias A] "
	 "[--dest-alias A]",
	 "Copy entries from one keystore into another, PKCS#12 <-> JKS (keytool -importkeystore)."},
	{"keystore delete", cmd_keystore_delete, "STORE --alias A [--password-file F]",
	 "Remove an entry; keeps STORE.bak (keytool -delete)."},
	{"keystore passwd", cmd_keystore_passwd, "STORE [--password-file F] --new-password-file F",
	 "Change the store password and the key passwords (keytool -storepasswd, -keypasswd)."},
	{"keystore export", cmd_keystore_export, "STORE --alias A --out F [--password-file F] [--format pem|der] [--force]",
	 "Write an entry's certificate (or key, chain with --order) (keytool -exportcert)."},
	CMD_END,
};
