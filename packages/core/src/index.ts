/**
 * @toolwire/core: one registry that connects an agent to many MCP servers.
 * Every public symbol is named here; anything else is private and may change.
 */

export type { AuthDiscoveryOptions } from './auth/discovery-policy.js';
export type { DPoPOptions } from './auth/dpop.js';
export type { FinishOAuthOptions } from './auth/finish-oauth.js';
export { finishOAuth } from './auth/finish-oauth.js';
export type { StoredToken, TokenStore } from './auth/token-store.js';
export { createMemoryTokenStore } from './auth/token-store.js';
export type { MemorySchemaCacheOptions } from './cache/memory-schema-cache.js';
export { createMemorySchemaCache } from './cache/memory-schema-cache.js';
export type { SchemaCacheOption } from './cache/schema-cache.js';
export type { MaybePromise, SchemaCacheStore } from './cache/schema-cache-store.js';
export { DEFAULT_SCHEMA_CACHE_TTL_MS } from './cache/schema-cache-store.js';
export type { EnvSource } from './config/expand-env.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { loadConfig } from './config/load-config.js';
export type {
  NamingOptions,
  ParseConfigOptions,
  ParsedServersConfig,
  ProviderServerInput,
  SeedListServerInput,
  SeedToolServerInput,
  ServerConfigInput,
  ServerListItemInput,
  ServersConfigInput,
} from './config/parse-config.js';
export {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_BYTES,
  parseServersConfig,
} from './config/parse-config.js';
export type { PreparedServersConfig, PrepareServersConfigOptions } from './config/prepare-config.js';
export { prepareServersConfig } from './config/prepare-config.js';
export type {
  ProviderEntry,
  ProviderResolver,
  ProviderResolverContext,
  ResolvedConnection,
} from './config/provider-resolvers.js';
export type {
  AuthConfig,
  BearerAuthConfig,
  ClientCredentialsAuthConfig,
  CredentialSource,
  EnterpriseAuthConfig,
  HeadersContext,
  HeadersInput,
  HttpServerDefinition,
  JWTBearerAuthConfig,
  OAuthAuthConfig,
  ProtocolSelection,
  ServerDefinition,
  SessionScope,
  StdioServerDefinition,
  TransportKind,
} from './config/server-config.js';
export type { ServerJSONLoadOptions, ServerJSONSource } from './config/server-json.js';
export type {
  ServerJSON,
  ServerJSONArgument,
  ServerJSONInput,
  ServerJSONInputWithVariables,
  ServerJSONKeyValueInput,
  ServerJSONPackage,
  ServerJSONRemote,
} from './config/server-json-schema.js';
export { SERVER_JSON_SCHEMA_URL } from './config/server-json-schema.js';
export type {
  ElicitationHandler,
  RootsHandler,
  SamplingHandler,
  ServerRequestContext,
  ServerRequestHandlers,
} from './connection/server-requests.js';
export { DEFAULT_SERVER_REQUEST_TIMEOUT_MS } from './connection/server-requests.js';
export type { SearchToolsOptions, ToolSearchResult } from './discovery/search-types.js';
export type {
  DisclosedTool,
  DisclosureEvent,
  SearchToolsOutput,
  ToolDisclosure,
  ToolDisclosureOptions,
} from './discovery/tool-disclosure.js';
export { createToolDisclosure, SEARCH_TOOLS_NAME } from './discovery/tool-disclosure.js';
export type { AuthErrorOptions } from './errors/auth-error.js';
export { AuthError } from './errors/auth-error.js';
export type { ConfigErrorOptions, ConfigIssue } from './errors/config-error.js';
export { ConfigError } from './errors/config-error.js';
export type { ArgumentIssue, InvalidArgumentsErrorOptions } from './errors/invalid-arguments-error.js';
export { InvalidArgumentsError } from './errors/invalid-arguments-error.js';
export type { ToolNotFoundErrorOptions } from './errors/tool-not-found-error.js';
export { ToolNotFoundError } from './errors/tool-not-found-error.js';
export type { ProtocolErrorInfo, ToolwireErrorCode, ToolwireErrorOptions } from './errors/toolwire-error.js';
export { ToolwireError } from './errors/toolwire-error.js';
export type {
  CallEndEvent,
  CallStartEvent,
  LogEvent,
  PromptsChangedEvent,
  RegistryEvents,
  ResourcesChangedEvent,
  ServerLogEvent,
  ServerLogLevel,
  ServerStatus,
  ServerStatusEvent,
  TaskUpdateEvent,
  ToolStatus,
  ToolsChangedEvent,
} from './events/registry-events.js';
export type {
  ToolCallChanges,
  ToolCallContext,
  ToolCallInterceptor,
  ToolCallNext,
} from './interceptors/interceptor-types.js';
export { createToolCallResult } from './interceptors/run-interceptors.js';
export type { Logger } from './logging/logger.js';
export { defaultLogger, silentLogger } from './logging/logger.js';
export type { ValidationOptions } from './registry/argument-validation.js';
export type { ReconfigureServersOptions, ServersUpdate } from './registry/reconfigure-servers.js';
export type { Registry } from './registry/registry.js';
export { createRegistry } from './registry/registry.js';
export type { PoolOptions, RegistryOptions } from './registry/registry-options.js';
export type { RootsOption } from './registry/registry-roots.js';
export type {
  CallToolOptions,
  JSONSchemaObject,
  PromptInfo,
  RegistryStats,
  RequestScopeOptions,
  ResourceInfo,
  ResourceTemplateInfo,
  ResumeTaskOptions,
  ServerInfo,
  ServerStats,
  StartTaskOptions,
  ToolInfo,
  ToolsFilter,
} from './registry/registry-types.js';
export type { ResourceSubscription, SubscribeResourceOptions } from './registry/resource-subscriptions.js';
export type {
  ServerAuthState,
  ServerDetails,
  ServerStatusChange,
} from './registry/server-details.js';
export { SERVER_LOG_LEVELS } from './registry/server-logs.js';
export type { ToolStats } from './registry/tool-stats.js';
export type { ToolCallResult } from './results/tool-call-result.js';
export type {
  CompiledSchema,
  Dialect,
  JSONSchema,
  JSONSchemaValidatorOptions,
  SchemaValidator,
  ValidationEngine,
  ValidationResult,
} from './schema/json-schema-validator.js';
export { DEFAULT_SCHEMA_CACHE_SIZE, JSONSchemaValidator } from './schema/json-schema-validator.js';
export type { AtRestEncryption, EncryptionKey, EncryptionKeyRotation } from './stores/at-rest-encryption.js';
export { createAtRestEncryption } from './stores/at-rest-encryption.js';
export type { StoreRetryOptions } from './stores/store-health.js';
export type { TaskProgressListener } from './tasks/follow-task.js';
export type { TaskStatus } from './tasks/task-wire.js';
export { TASKS_EXTENSION } from './tasks/task-wire.js';
export type { TaskRef, TaskResultOptions, TaskSnapshot, ToolTask } from './tasks/tool-task.js';
export type { RegistryTelemetry } from './telemetry/registry-telemetry.js';
export { MAX_TIMEOUT_MS } from './util/deadline.js';
export { formatArgumentPath } from './util/format-path.js';
export type { LatencySummary } from './util/latency-window.js';
export { createNameFilter } from './util/name-filter.js';
export type { StallTolerantDeadlineOptions } from './util/stall-tolerant-deadline.js';
export { withStallTolerantDeadline } from './util/stall-tolerant-deadline.js';
export { TOOLWIRE_VERSION } from './version.js';
