/** The package version, sent as `clientInfo.version` and printed by the CLI. */
export const TOOLWIRE_VERSION = '0.0.0';
