#!/usr/bin/env node
/**
 * The conformance suite's client under test: a small MCP client built only on `@toolwire/core`'s
 * public API. The suite starts a test server per scenario, then runs
 * `node client.mjs <server-url>` with `MCP_CONFORMANCE_SCENARIO` (and, for auth scenarios,
 * `MCP_CONFORMANCE_CONTEXT`) set. We build a registry for that one server, list its tools and do
 * what the scenario expects; the suite judges the traffic it saw. Exit code 0 means "the client
 * did its part"; anything else is reported by the suite.
 */
import { createRegistry, finishOAuth, ToolwireError } from '@toolwire/core';
import { ConformanceOAuthProvider } from './oauth-provider.mjs';

const serverUrl = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};

if (!serverUrl) {
  console.error('usage: client.mjs <server-url>  (run by the conformance suite)');
  process.exit(2);
}

/** Answers every elicitation by accepting with no fields: SEP-1034 defaults must fill them in. */
const acceptWithDefaults = async () => ({ action: 'accept', content: {} });

/** Arguments for the tools the client scenarios offer; anything else is called with `{}`. */
const argumentsByTool = {
  add_numbers: { a: 5, b: 3 },
  // SEP-2243: its `region` is mirrored into `Mcp-Param-Region`.
  valid_tool: { region: 'us-west1' },
};

/** How many times we complete a user authorization per operation before giving up. */
const MAX_AUTHORIZATIONS = 2;

async function main() {
  const oauth =
    scenario.startsWith('auth/') &&
    !isClientCredentials(scenario) &&
    !isCrossAppAccess(scenario) &&
    scenario !== 'auth/wif-jwt-bearer'
      ? oauthProvider()
      : undefined;
  const registry = await createRegistry({
    servers: { test: { url: serverUrl, ...authConfig(oauth) } },
    onElicitation: acceptWithDefaults,
    clientInfo: { name: 'toolwire-conformance-client', version: '0.0.0' },
    // Each scenario has its own server on its own port: nothing to reuse, nothing to leave in ~/.cache.
    cache: 'memory',
  });
  try {
    await withAuthorization(registry, oauth, async () => {
      const server = registry.server('test');
      if (server?.status !== 'active') throw failure(server?.error);
    });
    for (const { tool, args, options } of plannedCalls(registry.tools())) {
      const result = await withAuthorization(registry, oauth, () =>
        registry.callTool(tool.name, args, options),
      );
      console.log(`${tool.serverToolName}: ${result.isError ? 'tool error: ' : ''}${result.text}`);
    }
  } finally {
    await registry.close();
  }
}

/**
 * The calls this scenario expects, in order. By default every listed tool once; a scenario that
 * hands us `toolCalls` in its context gets exactly those; a few scenarios say what to do instead.
 */
function plannedCalls(tools) {
  const byName = new Map(tools.map((tool) => [tool.serverToolName, tool]));
  // SEP-2106: the server only answers tools/list; the check is that we never fetch the network
  // `$ref` in the listed schema.
  if (scenario === 'json-schema-ref-no-deref') return [];
  // The 2020-12 schema must reach us as the server sent it: echo what the registry lists.
  if (scenario === 'json-schema-2020-12-preservation') {
    const focal = byName.get('json_schema_2020_12_tool');
    const echo = byName.get('json_schema_echo');
    if (!focal || !echo) throw new Error('the 2020-12 tools were not listed');
    return [{ tool: echo, args: { schema: focal.inputSchema } }];
  }
  if (Array.isArray(context.toolCalls)) {
    return context.toolCalls.map((call) => {
      const tool = byName.get(call.name);
      if (!tool) throw new Error(`tool "${call.name}" was not listed`);
      // Sent as given, even where a value breaks the schema on purpose (`null` for an optional
      // boolean, to see its `Mcp-Param-*` header left out): the server is the judge here.
      return { tool, args: call.arguments ?? {}, options: { validate: false } };
    });
  }
  return tools.map((tool) => ({ tool, args: argumentsByTool[tool.serverToolName] ?? {} }));
}

function isClientCredentials(name) {
  return name.startsWith('auth/client-credentials-');
}

function isDPoP(name) {
  return name === 'auth/dpop' || name === 'auth/dpop-nonce';
}

function isCrossAppAccess(name) {
  return name.startsWith('auth/cross-app-access') || name === 'auth/enterprise-managed-authorization';
}

/** The server's `auth` entry for this scenario. */
function authConfig(oauth) {
  if (scenario === 'auth/client-credentials-basic') {
    return {
      auth: { type: 'client_credentials', clientId: context.client_id, clientSecret: context.client_secret },
    };
  }
  if (scenario === 'auth/client-credentials-jwt') {
    return {
      auth: {
        type: 'client_credentials',
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        algorithm: context.signing_algorithm,
      },
    };
  }
  if (isCrossAppAccess(scenario)) {
    // Enterprise-managed authorization (SEP-990): the ID token becomes an ID-JAG at the IdP.
    return {
      auth: {
        type: 'enterprise',
        clientId: context.client_id,
        clientSecret: context.client_secret,
        idToken: context.idp_id_token,
        idp: { tokenUrl: context.idp_token_endpoint, clientId: context.idp_client_id },
      },
    };
  }
  if (scenario === 'auth/wif-jwt-bearer') {
    // Workload identity (SEP-1933): the platform's JWT, presented as an RFC 7523 grant.
    return { auth: { type: 'jwt_bearer', clientId: context.client_id, assertion: context.valid_jwt } };
  }
  // SEP-1932: the suite's authorization server issues DPoP-bound tokens to clients that ask.
  if (oauth) return { auth: { type: 'oauth', provider: oauth, ...(isDPoP(scenario) ? { dpop: true } : {}) } };
  return {};
}

/** A user-facing OAuth provider: pre-registered when the scenario hands us credentials, else DCR. */
function oauthProvider() {
  return new ConformanceOAuthProvider({
    clientInformation: context.client_id
      ? { client_id: context.client_id, client_secret: context.client_secret }
      : undefined,
  });
}

/**
 * Runs `operation`; when the server needed a user authorization (the provider "sent the user" to
 * the authorization URL and got a code back on its redirect URL), completes it with
 * `finishOAuth`, reconnects and tries again, a bounded number of times.
 */
async function withAuthorization(registry, oauth, operation) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const callbackUrl = oauth?.takeCallback();
      if (!callbackUrl || attempt >= MAX_AUTHORIZATIONS || !isAuthFailure(error)) throw error;
      await finishOAuth({
        serverUrl,
        provider: oauth,
        callbackUrl,
        expectedState: oauth.expectedState,
        server: 'test',
      });
      await registry.refresh('test');
    }
  }
}

function isAuthFailure(error) {
  return ToolwireError.isInstance(error) && error.code === 'AUTH_FAILED';
}

function failure(error) {
  if (error) {
    return new ToolwireError({ code: error.code, server: 'test', message: error.message });
  }
  return new Error('server "test" is not active');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(ToolwireError.isInstance(error) ? `${error.code}: ${error.message}` : error);
    process.exit(1);
  },
);
