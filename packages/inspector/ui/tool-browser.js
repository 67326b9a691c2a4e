// <tw-tool-browser>: the catalogue with the registry's own search, and for the selected tool its
// description, annotations, schemas (readable, raw JSON on demand), stats, and a form generated
// from its input schema to call it.
import { callResult } from './call-result.js';
import { badge, clear, firstLine, h, milliseconds } from './dom.js';
import { createSchemaForm } from './schema-form.js';
import { schemaView } from './schema-view.js';
import { postJSON, store } from './store.js';

class ToolBrowser extends HTMLElement {
  connectedCallback() {
    this.query = '';
    this.order = undefined;
    this.search = h('input', {
      type: 'search',
      class: 'search',
      placeholder: 'Search tools by what they do…',
      'aria-label': 'search tools',
    });
    this.search.addEventListener('input', () => this.runSearch());
    this.list = h('ul', { class: 'tool-list' });
    this.detail = h('div', { class: 'tool-detail' });
    this.append(h('div', { class: 'split' }, h('aside', {}, this.search, this.list), this.detail));
    store.on('tools', () => {
      this.renderList();
      this.renderDetail(false);
    });
    store.on('stats', () => this.renderStats());
    window.addEventListener('hashchange', () => {
      this.renderList();
      this.renderDetail(false);
    });
  }

  selected() {
    const [view, ...rest] = location.hash.slice(1).split('/');
    return view === 'tools' && rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  }

  async runSearch() {
    const query = this.search.value.trim();
    this.query = query;
    if (query === '') {
      this.order = undefined;
      this.renderList();
      return;
    }
    const response = await fetch(`./api/search?q=${encodeURIComponent(query)}&limit=100`);
    const results = await response.json();
    if (this.query !== query) return;
    this.order = results.map((result) => result.name);
    this.renderList();
  }

  renderList() {
    const tools = store.state.tools;
    const shown = this.order
      ? this.order.map((name) => tools.find((tool) => tool.name === name)).filter(Boolean)
      : tools;
    const selected = this.selected();
    clear(this.list);
    if (shown.length === 0)
      this.list.append(h('li', { class: 'muted empty' }, this.order ? 'No tool matches.' : 'No tools.'));
    for (const tool of shown) {
      this.list.append(
        h(
          'li',
          { class: tool.name === selected ? 'selected' : undefined, 'data-tool': tool.name },
          h(
            'a',
            { href: `#tools/${encodeURIComponent(tool.name)}` },
            h('span', { class: 'tool-name' }, tool.name),
            tool.status === 'active' ? undefined : badge(tool.status),
          ),
          h('div', { class: 'hint' }, firstLine(tool.title ?? tool.description)),
        ),
      );
    }
  }

  /** Re-renders the detail only when another tool is chosen or its definition changed (keeps what was typed). */
  renderDetail() {
    const name = this.selected();
    const tool = name ? store.tool(name) : undefined;
    const key = tool
      ? JSON.stringify([
          tool.name,
          tool.inputSchema,
          tool.outputSchema,
          tool.description,
          tool.annotations,
          tool.status,
        ])
      : (name ?? '');
    if (key === this.detailKey) return;
    this.detailKey = key;
    clear(this.detail);
    if (!tool) {
      this.detail.append(
        h(
          'p',
          { class: 'muted placeholder' },
          name ? `No tool named ${name}.` : 'Choose a tool to see its schema and call it.',
        ),
      );
      return;
    }
    this.detail.append(toolDetail(tool, store.state.allowCalls));
    this.renderStats();
  }

  renderStats() {
    const target = this.detail.querySelector('[data-role="tool-stats"]');
    const tool = target && store.tool(target.dataset.tool);
    if (!tool) return;
    const { calls, errors, latency } = tool.stats;
    target.textContent =
      calls === 0
        ? 'Not called yet.'
        : `${calls} call${calls === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'} · p50 ${milliseconds(latency.p50Ms)} · p95 ${milliseconds(latency.p95Ms)} · p99 ${milliseconds(latency.p99Ms)}`;
  }
}

function toolDetail(tool, allowCalls) {
  const annotations = Object.entries(tool.annotations ?? {}).filter(([key]) => key !== 'title');
  const form = createSchemaForm(tool.inputSchema);
  const output = h('div', { class: 'call-output', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Call');
  const problem = h('div', { class: 'form-problem', role: 'alert' });
  const submit = async (event) => {
    event.preventDefault();
    problem.textContent = '';
    const read = form.read();
    if (!read.ok) {
      problem.textContent = read.error;
      return;
    }
    button.disabled = true;
    button.textContent = 'Calling…';
    const started = performance.now();
    const response = await postJSON('./api/call', { tool: tool.name, arguments: read.value }).catch(
      (error) => ({ ok: false, error: { code: 'NETWORK', message: String(error) } }),
    );
    clear(output).append(callResult(response, performance.now() - started));
    button.disabled = false;
    button.textContent = 'Call';
  };
  return h(
    'article',
    { class: 'tool', 'data-tool': tool.name },
    h(
      'header',
      {},
      h('h2', {}, tool.title ?? tool.serverToolName),
      badge(tool.status),
      h('span', { class: 'muted' }, ` ${tool.name} · server ${tool.server}`),
    ),
    tool.disabledReason ? h('p', { class: 'muted' }, `Disabled (${tool.disabledReason}).`) : undefined,
    h('p', { class: 'description' }, tool.description || 'No description.'),
    annotations.length
      ? h(
          'div',
          { class: 'chips' },
          annotations.map(([key, value]) => h('span', { class: 'chip' }, `${key}: ${JSON.stringify(value)}`)),
        )
      : undefined,
    h('p', { class: 'tool-stats muted', 'data-role': 'tool-stats', 'data-tool': tool.name }),
    h('h3', {}, 'Input'),
    schemaView(tool.inputSchema),
    h(
      'details',
      { class: 'raw' },
      h('summary', {}, 'raw input schema'),
      h('pre', {}, JSON.stringify(tool.inputSchema, null, 2)),
    ),
    tool.outputSchema
      ? [
          h('h3', {}, 'Output'),
          schemaView(tool.outputSchema),
          h(
            'details',
            { class: 'raw' },
            h('summary', {}, 'raw output schema'),
            h('pre', {}, JSON.stringify(tool.outputSchema, null, 2)),
          ),
        ]
      : undefined,
    allowCalls && tool.status !== 'disabled'
      ? [
          h('h3', {}, 'Call it'),
          h(
            'form',
            { class: 'call-form', onsubmit: submit },
            form.element,
            problem,
            h('div', { class: 'actions' }, button),
          ),
          output,
        ]
      : undefined,
  );
}

customElements.define('tw-tool-browser', ToolBrowser);
