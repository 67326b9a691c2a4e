/**
 * What servers ask of the client and tell it, against server-everything (a 2025 server over
 * stdio): elicitation and sampling answered by the call's, the conversation's or the registry's
 * handler (most specific wins), the capabilities declared only when a handler can exist, a clear
 * refusal when none answers, typed handler failures and timeouts; log notifications as
 * `server:log` events with the registry's minimum level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  type LogEvent,
  type Registry,
  type SamplingHandler,
  type ServerLogEvent,
  type ServerRequestContext,
  silentLogger,
} from '../src/index.js';
import { everythingStdio, waitFor } from './support/index.js';

const SAMPLE = 'everything__trigger-sampling-request';
const ELICIT = 'everything__trigger-elicitation-request';

/** A sampling handler answering `text`, recording the context it was called with. */
function answering(text: string, seen: ServerRequestContext[] = []): SamplingHandler {
  return async (_request, context) => {
    seen.push(context);
    return { role: 'assistant', content: { type: 'text', text }, model: 'scripted' };
  };
}

// One server-everything for both: a registry without handlers, relaying the server's logs.
describe('without handlers; server log notifications', () => {
  let registry: Registry;
  const events: ServerLogEvent[] = [];
  beforeAll(async () => {
    registry = await createRegistry({
      servers: { everything: everythingStdio() },
      cache: 'none',
      logger: silentLogger,
      serverLogLevel: 'debug',
    });
    registry.on('server:log', (event) => events.push(event));
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('declares neither capability, so the server offers no tool that would ask', () => {
    const names = registry.tools().map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).not.toContain(SAMPLE);
    expect(names).not.toContain(ELICIT);
    expect(registry.server('everything')?.capabilities?.logging).toBeDefined();
  });

  it('server log notifications become server:log events with server, level, logger and data', async () => {
    await registry.callTool('everything__toggle-simulated-logging', {});
    try {
      await waitFor(() => events.length > 0);
    } finally {
      await registry.callTool('everything__toggle-simulated-logging', {});
    }
    const [event] = events;
    expect(event).toMatchObject({ server: 'everything', sessionKey: undefined, truncated: false });
    expect(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']).toContain(
      event?.level,
    );
    expect(String(event?.data)).toMatch(/message/i);
  });

  it('refuses a minimum level MCP does not define', async () => {
    await expect(
      createRegistry({ servers: {}, serverLogLevel: 'verbose' as never, cache: 'none' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('sampling and elicitation handlers', () => {
  let registry: Registry;
  const registrySeen: ServerRequestContext[] = [];
  const logs: LogEvent[] = [];

  beforeAll(async () => {
    registry = await createRegistry({
      servers: { everything: everythingStdio() },
      cache: 'none',
      logger: silentLogger,
      onSampling: answering('from the registry', registrySeen),
      onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
      listeners: { log: (event) => logs.push(event) },
    });
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('declares sampling and elicitation and answers with the registry handler', async () => {
    const result = await registry.callTool(SAMPLE, { prompt: 'hello', maxTokens: 5 });
    expect(result.isError).toBe(false);
    expect(result.text).toContain('from the registry');
    expect(registrySeen.at(-1)).toMatchObject({ server: 'everything', tool: SAMPLE, sessionKey: undefined });
    expect(registrySeen.at(-1)?.signal).toBeInstanceOf(AbortSignal);
  });

  it('answers an elicitation, filling schema defaults the answer left out (SEP-1034)', async () => {
    const result = await registry.callTool(ELICIT, {});
    expect(result.isError).toBe(false);
    expect(result.text).toContain('User provided the requested information');
    expect(result.text).toContain('Ada');
  });

  it('most specific wins: call over conversation over registry', async () => {
    const clear = registry.setSessionHandlers('thread-1', { onSampling: answering('from the conversation') });
    try {
      const bySession = await registry.callTool(SAMPLE, { prompt: 'a' }, { sessionKey: 'thread-1' });
      expect(bySession.text).toContain('from the conversation');
      const otherSession = await registry.callTool(SAMPLE, { prompt: 'b' }, { sessionKey: 'thread-2' });
      expect(otherSession.text).toContain('from the registry');
      const callSeen: ServerRequestContext[] = [];
      const byCall = await registry.callTool(
        SAMPLE,
        { prompt: 'c' },
        { sessionKey: 'thread-1', onSampling: answering('from the call', callSeen) },
      );
      expect(byCall.text).toContain('from the call');
      expect(callSeen[0]).toMatchObject({ sessionKey: 'thread-1', tool: SAMPLE });
    } finally {
      clear();
    }
    const cleared = await registry.callTool(SAMPLE, { prompt: 'd' }, { sessionKey: 'thread-1' });
    expect(cleared.text).toContain('from the registry');
  });

  it('a handler that throws is a typed failure: the server gets only its code, the registry logs it', async () => {
    const result = await registry.callTool(
      SAMPLE,
      { prompt: 'e' },
      {
        onSampling: async () => {
          throw new Error('model quota exceeded for key sk-live-123');
        },
      },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('HANDLER_FAILED');
    expect(result.text).not.toContain('sk-live-123');
    const warning = logs.find((event) => event.message.includes('sampling handler failed'));
    expect(warning).toMatchObject({ level: 'warn', server: 'everything' });
  });

  it('a handler that answers nonsense is refused the same way', async () => {
    const result = await registry.callTool(
      SAMPLE,
      { prompt: 'f' },
      { onSampling: async () => ({ text: 'not a sampling result' }) as never },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('HANDLER_FAILED');
  });

  it('bad handler options are INVALID_OPTIONS, not a hang', async () => {
    await expect(
      registry.callTool(SAMPLE, { prompt: 'g' }, { onSampling: 'yes' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(() => registry.setSessionHandlers('', {})).toThrow(/non-empty session key/);
  });
});

describe('declared without a handler, and bounded in time', () => {
  let registry: Registry;
  const logs: LogEvent[] = [];
  beforeAll(async () => {
    registry = await createRegistry({
      servers: { everything: everythingStdio() },
      cache: 'none',
      logger: silentLogger,
      declareCapabilities: { sampling: true, elicitation: true },
      serverRequestTimeoutMs: 200,
      listeners: { log: (event) => logs.push(event) },
    });
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('an elicitation nobody answers is declined', async () => {
    const result = await registry.callTool(ELICIT, {});
    expect(result.text).toContain('User declined');
  });

  it('a sampling request nobody answers is refused with a clear error', async () => {
    const result = await registry.callTool(SAMPLE, { prompt: 'h' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('no sampling handler');
  });

  it('a handler that never answers is stopped at serverRequestTimeoutMs (TIMEOUT), its signal aborted', async () => {
    let handlerSignal: AbortSignal | undefined;
    const result = await registry.callTool(
      SAMPLE,
      { prompt: 'i' },
      {
        onSampling: (_request, context) => {
          handlerSignal = context.signal;
          return new Promise(() => {});
        },
      },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('TIMEOUT');
    expect(handlerSignal?.aborted).toBe(true);
    expect(logs.some((event) => event.message.includes('serverRequestTimeoutMs'))).toBe(true);
  });
});

describe('closing the registry', () => {
  it('aborts a handler still answering, so nothing waits out serverRequestTimeoutMs', async () => {
    const registry = await createRegistry({
      servers: { everything: everythingStdio() },
      cache: 'none',
      logger: silentLogger,
      declareCapabilities: { sampling: true },
    });
    let handlerSignal: AbortSignal | undefined;
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const call = registry.callTool(
      SAMPLE,
      { prompt: 'never answered' },
      {
        onSampling: (_request, context) => {
          handlerSignal = context.signal;
          started();
          return new Promise(() => {});
        },
      },
    );
    const outcome = call.then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    );
    await handlerStarted;
    await registry.close();
    expect(handlerSignal?.aborted).toBe(true);
    expect(handlerSignal?.reason).toMatchObject({ code: 'SERVER_CLOSED' });
    expect(await outcome).toBe('SERVER_CLOSED');
  });
});
