/**
 * Attribute and metric names: the OpenTelemetry MCP and GenAI semantic conventions where they
 * exist (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/, status Development), and
 * `toolwire.*` for what they do not name (the registry's server and tool names).
 */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
/** A token request's OAuth `grant_type` (`client_credentials`, `refresh_token`, …). */
export const ATTR_TOOLWIRE_OAUTH_GRANT_TYPE = 'toolwire.oauth.grant_type';
/** The configured server name (MCP semconv has no attribute for a client's name of its server). */
export const ATTR_TOOLWIRE_SERVER_NAME = 'toolwire.server.name';
/** The registry's (prefixed) tool name, when it differs from `gen_ai.tool.name`. */
export const ATTR_TOOLWIRE_TOOL_NAME = 'toolwire.tool.name';

/** Histogram, seconds: the duration of one MCP request as the client sees it. */
export const METRIC_CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';
/** Counter: tool calls that failed (`error.type` = the `ToolwireError` code, or `tool_error`). */
export const METRIC_CLIENT_TOOL_ERRORS = 'toolwire.client.tool.errors';
/** The semantic conventions' advised buckets for MCP operation durations (seconds). */
export const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** `error.type` when the call succeeded but the tool reported a failure (`isError: true`). */
export const TOOL_ERROR_TYPE = 'tool_error';
