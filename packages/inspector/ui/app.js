// <tw-app>: the page shell — header with live counts, three views (servers, tools, activity)
// chosen by the URL hash (#servers, #tools/<name>, #activity), and the event stream.
import './server-list.js';
import './tool-browser.js';
import './activity-view.js';
import { h } from './dom.js';
import { connect, store } from './store.js';

const VIEWS = [
  { id: 'servers', label: 'Servers', tag: 'tw-server-list' },
  { id: 'tools', label: 'Tools', tag: 'tw-tool-browser' },
  { id: 'activity', label: 'Activity', tag: 'tw-activity' },
];

class App extends HTMLElement {
  connectedCallback() {
    this.live = h('span', { class: 'live', 'data-connected': 'false' }, 'connecting…');
    this.counts = h('span', { class: 'counts' });
    this.tabs = VIEWS.map((view) =>
      h('a', { href: `#${view.id}`, class: 'tab', 'data-view': view.id }, view.label),
    );
    this.panels = VIEWS.map((view) => h(view.tag, { class: 'panel', 'data-panel': view.id }));
    this.append(
      h(
        'header',
        { class: 'top' },
        h('h1', {}, 'toolwire ', h('span', { class: 'muted' }, 'inspector')),
        h('nav', {}, this.tabs),
        this.counts,
        this.live,
      ),
      h('main', {}, this.panels),
    );
    window.addEventListener('hashchange', () => this.route());
    this.route();
    store.on('connection', () => {
      this.live.dataset.connected = String(store.connected);
      this.live.textContent = store.connected ? 'live' : 'reconnecting…';
    });
    const updateCounts = () => {
      const { servers, tools, stats } = store.state;
      const failed = servers.filter((server) => server.status === 'failed').length;
      this.counts.textContent = `${servers.length} servers${failed ? ` (${failed} failed)` : ''} · ${tools.length} tools · ${stats.calls} calls`;
    };
    store.on('servers', updateCounts);
    store.on('tools', updateCounts);
    store.on('stats', updateCounts);
    connect();
  }

  route() {
    const current = (location.hash.slice(1).split('/')[0] || 'servers').toLowerCase();
    const active = VIEWS.some((view) => view.id === current) ? current : 'servers';
    for (const tab of this.tabs) tab.classList.toggle('active', tab.dataset.view === active);
    for (const panel of this.panels) panel.hidden = panel.dataset.panel !== active;
    this.dataset.view = active;
  }
}

customElements.define('tw-app', App);
