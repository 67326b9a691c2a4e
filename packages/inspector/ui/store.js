// The page's state: one snapshot from the event stream's first `state` event, then kept current
// by the live events (`server`, `catalogue`, `call`, `stats`). Views subscribe to topics.

const CALLS_KEPT = 200;

export const store = {
  state: undefined,
  connected: false,
  listeners: new Map(),

  on(topic, listener) {
    if (!this.listeners.has(topic)) this.listeners.set(topic, new Set());
    this.listeners.get(topic).add(listener);
    if (this.state !== undefined) listener();
  },

  emit(...topics) {
    for (const topic of topics) for (const listener of this.listeners.get(topic) ?? []) listener();
  },

  tool(name) {
    return this.state?.tools.find((tool) => tool.name === name);
  },
};

export function connect() {
  const source = new EventSource('./api/events');
  const on = (name, handle) =>
    source.addEventListener(name, (event) => {
      handle(JSON.parse(event.data));
    });
  on('state', (state) => {
    store.state = state;
    store.emit('servers', 'tools', 'calls', 'stats');
  });
  on('server', (server) => {
    const servers = store.state.servers;
    const index = servers.findIndex((known) => known.name === server.name);
    if (index === -1) servers.push(server);
    else servers[index] = server;
    store.emit('servers');
  });
  on('catalogue', (tools) => {
    store.state.tools = tools;
    store.emit('tools');
  });
  on('call', (call) => {
    const calls = store.state.calls;
    const index = calls.findIndex((known) => known.callId === call.callId);
    if (index === -1) calls.push(call);
    else calls[index] = call;
    if (calls.length > CALLS_KEPT) calls.splice(0, calls.length - CALLS_KEPT);
    store.emit('calls');
  });
  on('stats', (stats) => {
    store.state.stats = stats;
    for (const tool of store.state.tools) if (stats.byTool[tool.name]) tool.stats = stats.byTool[tool.name];
    store.emit('stats');
  });
  source.addEventListener('open', () => {
    store.connected = true;
    store.emit('connection');
  });
  source.addEventListener('error', () => {
    store.connected = false;
    store.emit('connection');
  });
  return source;
}

export async function postJSON(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  try {
    return await response.json();
  } catch {
    return { ok: false, error: { code: `HTTP_${response.status}`, message: response.statusText } };
  }
}
