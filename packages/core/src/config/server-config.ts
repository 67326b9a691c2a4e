/**
 * The canonical, validated shape of one MCP server, whatever shape the user wrote it in
 * (`mcpServers` JSON, the seed list shapes, or code). Everything downstream reads only this.
 */

/** Headers sent with every HTTP request to a server; the function form is called per connection. */
export type HeadersInput =
  | Record<string, string>
  | ((context: HeadersContext) => Record<string, string> | Promise<Record<string, string>>);

export interface HeadersContext {
  /** The configured server name. */
  server: string;
  /** The caller's session key when the connection belongs to one conversation. */
  sessionKey: string | undefined;
}

/** How a server's tools are exposed: `'shared'` (one connection) or one connection per `sessionKey`. */
export type SessionScope = 'shared' | 'per-conversation';

/**
 * Protocol era selection. `'auto'` probes for a 2026-07-28 server and falls back to the 2025
 * handshake; `'legacy'` speaks only the 2025 handshake; a version string pins that revision.
 */
export type ProtocolSelection = 'auto' | 'legacy' | (string & {});

/** Bearer token sent as `Authorization: Bearer …`. Other auth kinds are added by the auth layer. */
export interface BearerAuthConfig {
  type: 'bearer';
  token: string;
}

export type AuthConfig = BearerAuthConfig;

interface ServerDefinitionBase {
  /** The server's name in the configuration (also the default tool-name prefix). */
  name: string;
  /** Where in the configuration this server was defined, e.g. `mcpServers.weather`. */
  configPath: string;
  description: string | undefined;
  /** Exact names or globs (`get_*`); when set, only matching tools are enabled. */
  enabledTools: string[] | undefined;
  /** Exact names or globs; matching tools are disabled. Applied after `enabledTools`. */
  disabledTools: string[] | undefined;
  /** A disabled server is listed but never connected. */
  disabled: boolean;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  /** Overrides the registry's prefix for this server's tool names; `false` asks for no prefix. */
  toolPrefix: string | false | undefined;
  session: SessionScope;
  protocol: ProtocolSelection;
}

export interface StdioServerDefinition extends ServerDefinitionBase {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  /** What happens to the server's stderr: forwarded to the logger (`'pipe'`, default), `'inherit'`, `'ignore'`. */
  stderr: 'pipe' | 'inherit' | 'ignore';
}

export interface HttpServerDefinition extends ServerDefinitionBase {
  /** `'auto'`: Streamable HTTP first, falling back to legacy SSE when the server only speaks SSE. */
  transport: 'streamable-http' | 'sse' | 'auto';
  url: string;
  headers: HeadersInput | undefined;
  auth: AuthConfig | undefined;
}

export type ServerDefinition = StdioServerDefinition | HttpServerDefinition;

export type TransportKind = ServerDefinition['transport'];
