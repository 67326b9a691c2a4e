// <tw-activity>: latency percentiles per tool as a chart (uPlot: p99, p95 and p50 drawn as
// layered bars, so each tool's spread shows at a glance), the per-tool stats table, and the live
// call log, newest first.
import { badge, clear, clockTime, h, milliseconds } from './dom.js';
import { store } from './store.js';

const LOG_SHOWN = 100;

class Activity extends HTMLElement {
  connectedCallback() {
    this.totals = h('div', { class: 'totals' });
    this.chartBox = h('div', { class: 'chart', 'data-role': 'latency-chart' });
    this.table = h('div', { class: 'stats-table' });
    this.log = h('ol', { class: 'call-log', 'data-role': 'call-log' });
    this.append(
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Latency by tool'),
        this.totals,
        this.chartBox,
        h(
          'p',
          { class: 'hint legend' },
          h('span', { class: 'key p50' }),
          'p50 ',
          h('span', { class: 'key p95' }),
          'p95 ',
          h('span', { class: 'key p99' }),
          'p99, over each tool’s recent calls',
        ),
      ),
      h('section', { class: 'card' }, h('h2', {}, 'Per tool'), this.table),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Call log ', h('span', { class: 'muted' }, '(live)')),
        this.log,
      ),
    );
    store.on('stats', () => this.renderStats());
    store.on('tools', () => this.renderStats());
    store.on('calls', () => this.renderLog());
    this.resize = new ResizeObserver(() => this.chart?.setSize(this.chartSize()));
    this.resize.observe(this.chartBox);
  }

  disconnectedCallback() {
    this.resize?.disconnect();
  }

  chartSize() {
    return { width: Math.max(320, this.chartBox.clientWidth || 800), height: 260 };
  }

  renderStats() {
    const { stats, tools } = store.state;
    const called = Object.entries(stats.byTool)
      .filter(([, tool]) => tool.calls > 0)
      .sort(([left], [right]) => left.localeCompare(right));
    this.totals.textContent = `${stats.calls} calls, ${stats.errors} errors · all tools: p50 ${milliseconds(stats.latency.p50Ms)}, p95 ${milliseconds(stats.latency.p95Ms)}, p99 ${milliseconds(stats.latency.p99Ms)}`;
    this.renderChart(called);
    clear(this.table);
    if (called.length === 0) {
      this.table.append(
        h('p', { class: 'muted' }, `No calls yet (${tools.length} tools). Call one from the Tools view.`),
      );
      return;
    }
    this.table.append(
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['tool', 'calls', 'errors', 'p50', 'p95', 'p99', 'max', 'last error'].map((label) =>
              h('th', {}, label),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          called.map(([name, tool]) =>
            h(
              'tr',
              { 'data-tool': name },
              h('td', {}, h('a', { href: `#tools/${encodeURIComponent(name)}` }, name)),
              h('td', { class: 'number' }, tool.calls),
              h('td', { class: `number${tool.errors ? ' bad' : ''}` }, tool.errors),
              [tool.latency.p50Ms, tool.latency.p95Ms, tool.latency.p99Ms, tool.latency.maxMs].map((value) =>
                h('td', { class: 'number' }, milliseconds(value)),
              ),
              h(
                'td',
                { class: 'muted' },
                tool.lastError ? `${tool.lastError.code}: ${tool.lastError.message.split('\n')[0]}` : '',
              ),
            ),
          ),
        ),
      ),
    );
  }

  renderChart(called) {
    const names = called.map(([name]) => name);
    const data = [
      names.map((_, index) => index),
      ...['p99Ms', 'p95Ms', 'p50Ms'].map((key) => called.map(([, tool]) => tool.latency[key] ?? null)),
    ];
    // What the chart shows, readable without decoding the canvas (tests and assistive tech).
    this.chartBox.dataset.tools = JSON.stringify(names);
    this.chartBox.dataset.calls = String(called.reduce((sum, [, tool]) => sum + tool.calls, 0));
    this.chartBox.setAttribute('aria-label', `latency chart of ${names.length} tools`);
    if (typeof uPlot === 'undefined') return;
    if (this.chart && this.chartNames === JSON.stringify(names)) {
      this.chart.setData(data);
      return;
    }
    this.chart?.destroy();
    this.chartNames = JSON.stringify(names);
    if (names.length === 0) {
      this.chart = undefined;
      clear(this.chartBox).append(
        h('p', { class: 'muted empty-chart' }, 'The chart fills in as tools are called.'),
      );
      return;
    }
    clear(this.chartBox);
    const bars = (size) => uPlot.paths.bars({ size: [size, 80] });
    this.chart = new uPlot(
      {
        ...this.chartSize(),
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: [-0.5, names.length - 0.5] },
          y: { range: (_, __, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          {
            splits: () => names.map((_, index) => index),
            values: (_, splits) => splits.map((index) => shortName(names[index])),
            gap: 4,
            size: 48,
          },
          { values: (_, splits) => splits.map((value) => `${value} ms`), size: 70 },
        ],
        series: [
          {},
          { label: 'p99', fill: '#c7d2fe', stroke: '#c7d2fe', paths: bars(0.7), points: { show: false } },
          { label: 'p95', fill: '#818cf8', stroke: '#818cf8', paths: bars(0.5), points: { show: false } },
          { label: 'p50', fill: '#3730a3', stroke: '#3730a3', paths: bars(0.3), points: { show: false } },
        ],
      },
      data,
      this.chartBox,
    );
  }

  renderLog() {
    const calls = store.state.calls.slice(-LOG_SHOWN).reverse();
    clear(this.log);
    if (calls.length === 0) this.log.append(h('li', { class: 'muted' }, 'No calls yet.'));
    for (const call of calls) {
      this.log.append(
        h(
          'li',
          { 'data-call': call.callId, 'data-state': call.state },
          h('time', {}, clockTime(call.startedAt)),
          h('code', { class: 'tool-name' }, call.tool),
          badge(call.state),
          h('span', { class: 'number' }, call.durationMs === undefined ? '' : milliseconds(call.durationMs)),
          call.sessionKey ? h('span', { class: 'muted' }, `session ${call.sessionKey}`) : undefined,
          call.error
            ? h('span', { class: 'error-text' }, `${call.error.code}: ${call.error.message.split('\n')[0]}`)
            : undefined,
        ),
      );
    }
  }
}

/** Tool names as axis labels: the server-side part, shortened. */
function shortName(name) {
  const text = name.includes('__') ? name.slice(name.indexOf('__') + 2) : name;
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
}

customElements.define('tw-activity', Activity);
