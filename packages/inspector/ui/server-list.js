// <tw-server-list>: one card per server — status and its history, transport, protocol, the last
// error with the stderr tail, cache source and age, auth kind and token expiry (never a value).
import { badge, clear, clockTime, h, milliseconds, relativeTime } from './dom.js';
import { postJSON, store } from './store.js';

const HISTORY_SHOWN = 8;

class ServerList extends HTMLElement {
  connectedCallback() {
    store.on('servers', () => this.render());
    // Relative times ("cached 4 min ago", "token expires in 52 min") move on by themselves.
    this.timer = setInterval(() => this.render(), 5000);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  render() {
    const { servers, allowCalls } = store.state;
    // Re-rendering must not close what the reader opened.
    const open = new Set(
      [...this.querySelectorAll('details[open]')].map(
        (details) => details.closest('[data-server]')?.dataset.server,
      ),
    );
    clear(this);
    this.append(
      h(
        'div',
        { class: 'cards' },
        servers.map((server) => serverCard(server, allowCalls)),
      ),
    );
    for (const details of this.querySelectorAll('details')) {
      if (open.has(details.closest('[data-server]')?.dataset.server)) details.open = true;
    }
  }
}

function serverCard(server, allowCalls) {
  const refresh =
    allowCalls && server.status !== 'disabled'
      ? h(
          'button',
          {
            class: 'small',
            type: 'button',
            title: 'Reconnect a failed server, or re-list its tools',
            onclick: async (event) => {
              event.target.disabled = true;
              event.target.textContent = 'refreshing…';
              await postJSON('./api/refresh', { server: server.name });
            },
          },
          'refresh',
        )
      : undefined;
  const endpoint = server.url ?? (server.command ? `${server.command} …` : '—');
  return h(
    'article',
    {
      class: `card server status-${server.status}`,
      'data-server': server.name,
      'data-status': server.status,
    },
    h(
      'header',
      {},
      h('h2', {}, server.name),
      badge(server.status),
      h('span', { class: 'muted' }, server.connectedTransport ?? server.transport),
      refresh,
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('endpoint', h('code', {}, endpoint)),
      fact('protocol', server.protocolVersion ?? '—'),
      fact(
        'server',
        server.serverVersion ? `${server.serverVersion.name} ${server.serverVersion.version}` : '—',
      ),
      fact('connect', milliseconds(server.connectLatencyMs)),
      fact(
        'tools',
        `${server.toolCount}${server.filteredTools.length ? ` (+${server.filteredTools.length} filtered out)` : ''}`,
      ),
      fact(
        'session',
        `${server.session}, ${server.connections} connection${server.connections === 1 ? '' : 's'}`,
      ),
      fact('cache', cacheText(server)),
      fact('auth', authText(server.auth)),
    ),
    server.configWarnings.length
      ? h(
          'ul',
          { class: 'config-warnings' },
          server.configWarnings.map((warning) =>
            h('li', {}, h('code', {}, warning.path), ` ${warning.message}`),
          ),
        )
      : undefined,
    server.error ? errorBlock(server) : undefined,
    server.statusHistory.length ? historyBlock(server.statusHistory) : undefined,
  );
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', { 'data-fact': label }, value)];
}

function cacheText(server) {
  const source =
    server.toolsSource === 'cache'
      ? 'tools from the schema cache'
      : server.toolsSource === 'server'
        ? 'tools live from the server'
        : 'no tools listed yet';
  const age = server.cachedAt ? `; cached ${relativeTime(server.cachedAt)}` : '; not cached';
  return source + age;
}

function authText(auth) {
  if (auth.kind === 'client_credentials') {
    if (!auth.token) return 'client credentials, no token yet';
    const expiry = auth.token.expiresAt ? `expires ${relativeTime(auth.token.expiresAt)}` : 'no expiry given';
    return `client credentials, token obtained ${relativeTime(auth.token.obtainedAt)}, ${expiry}`;
  }
  return (
    { none: 'none', headers: 'configured headers', bearer: 'static bearer token', oauth: 'user OAuth' }[
      auth.kind
    ] ?? auth.kind
  );
}

function errorBlock(server) {
  return h(
    'section',
    { class: 'error-block' },
    h(
      'div',
      { class: 'error-code' },
      server.error.code,
      h('span', { class: 'muted' }, ` · ${retryText(server)}`),
    ),
    h('pre', { class: 'error-message' }, server.error.message),
    server.error.issues?.length
      ? h(
          'ul',
          { class: 'issues' },
          server.error.issues.map((issue) => h('li', {}, h('code', {}, issue.path), ` ${issue.message}`)),
        )
      : undefined,
    server.stderrTail.length
      ? [
          h('div', { class: 'label' }, 'stderr (last lines)'),
          h('pre', { class: 'stderr' }, server.stderrTail.join('\n')),
        ]
      : undefined,
  );
}

function retryText(server) {
  const failures = `${server.consecutiveFailures} failed connect${server.consecutiveFailures === 1 ? '' : 's'} in a row`;
  if (server.nextRetryAt && server.nextRetryAt > Date.now())
    return `${failures}, next retry ${relativeTime(server.nextRetryAt)}`;
  return `${failures}, reconnects on the next call or refresh`;
}

function historyBlock(history) {
  const recent = history.slice(-HISTORY_SHOWN).reverse();
  return h(
    'details',
    { class: 'history' },
    h('summary', {}, `status history (${history.length})`),
    h(
      'ol',
      {},
      recent.map((change) =>
        h(
          'li',
          {},
          h('time', {}, clockTime(change.at)),
          ` ${change.previous} → `,
          badge(change.status),
          change.error ? h('span', { class: 'muted' }, ` ${change.error.code}`) : undefined,
        ),
      ),
    ),
  );
}

customElements.define('tw-server-list', ServerList);
