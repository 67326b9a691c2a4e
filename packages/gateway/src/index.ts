/**
 * @toolwire/gateway: many MCP servers re-published as one. A toolwire registry (the upstreams)
 * served by a toolwire publisher (the downstream endpoint), each caller in its own upstream
 * sessions. Every public symbol is named here.
 */
export type { Gateway } from './create-gateway.js';
export { createGateway } from './create-gateway.js';
export { upstreamSessionKey } from './forward-call.js';
export type {
  GatewayExpose,
  GatewayMode,
  GatewayNaming,
  GatewayOptions,
  GatewayPublisherOptions,
  UpstreamSessions,
} from './gateway-options.js';
export type { GatewayPolicy, GatewayToolRules } from './gateway-policy.js';
export { GATEWAY_ERROR_META_KEY } from './gateway-policy.js';
export type {
  GatewayAuditOutcome,
  GatewayAuditRecord,
  GatewayAuditRecordFields,
  GatewayCompletionAuditRecord,
  GatewayPromptAuditRecord,
  GatewayResourceAuditRecord,
  GatewayToolAuditRecord,
} from './policy-audit.js';
export type {
  GatewayRateLimit,
  GatewayRequestKind,
  RateLimitStore,
  RateLimitStoreClockOptions,
} from './rate-limits.js';
export { createMemoryRateLimitStore } from './rate-limits.js';
export type { RedisRateLimitClient, RedisRateLimitStoreOptions } from './redis-rate-limit-store.js';
export { createRedisRateLimitStore } from './redis-rate-limit-store.js';
export type { GatewayReloadOptions } from './reload.js';
export { CALL_TOOL_NAME } from './search-mode.js';
export type { GatewayStatus, UpstreamStatus } from './status.js';
export type {
  MemoryCredentialStore,
  UpstreamCredential,
  UpstreamCredentialStore,
  UpstreamPrincipal,
} from './upstream-auth/credential-store.js';
export { createMemoryCredentialStore } from './upstream-auth/credential-store.js';
export type {
  RedisCredentialStore,
  RedisCredentialStoreClient,
  RedisCredentialStoreOptions,
} from './upstream-auth/redis-credential-store.js';
export { createRedisCredentialStore } from './upstream-auth/redis-credential-store.js';
export type {
  PerUserUpstreamAuth,
  ServiceUpstreamAuth,
  TokenExchangeUpstreamAuth,
  UpstreamAuth,
  UpstreamAuthMap,
} from './upstream-auth/upstream-auth-options.js';
