/**
 * @toolwire/publisher: publish selected local tools as an MCP server.
 * The publisher lands with its own issue; this entry names every public symbol.
 */
export const PACKAGE_NAME = '@toolwire/publisher';
