/**
 * Live connection progress while `createRegistry` connects servers in parallel. On a TTY the
 * lines are redrawn in place with a spinner; elsewhere one plain line is printed per server as
 * it settles, so logs and CI output stay readable.
 */
import type { ServerStatusEvent } from '@toolwire/core';
import { statusText } from './status-text.js';
import type { CliIO, Style } from './terminal.js';

interface ServerProgress {
  status: ServerStatusEvent['status'];
  startedAt: number;
  endedAt?: number;
  error?: string;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class ProgressDisplay {
  private readonly states = new Map<string, ServerProgress>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private frame = 0;
  private drawnLines = 0;
  private readonly io: CliIO;
  private readonly style: Style;

  constructor(io: CliIO, style: Style, servers: string[]) {
    this.io = io;
    this.style = style;
    const now = performance.now();
    for (const server of servers) this.states.set(server, { status: 'discovered', startedAt: now });
    if (io.isTTY) {
      this.timer = setInterval(() => this.draw(), 80);
      this.draw();
    }
  }

  update(event: ServerStatusEvent): void {
    let state = this.states.get(event.server);
    if (!state) {
      // Servers that only exist after preparation (server.json documents, provider resolvers).
      state = { status: event.status, startedAt: performance.now() };
      this.states.set(event.server, state);
    }
    state.status = event.status;
    if (event.status === 'active' || event.status === 'failed') {
      state.endedAt = performance.now();
      if (event.error) state.error = event.error.message.split('\n')[0] ?? '';
      if (!this.io.isTTY) this.io.stderr.write(`${this.line(event.server)}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.io.isTTY) {
      this.draw();
      this.io.stderr.write('\n');
    }
  }

  private line(server: string): string {
    const state = this.states.get(server)!;
    const elapsed = Math.round((state.endedAt ?? performance.now()) - state.startedAt);
    const settled = state.status === 'active' || state.status === 'failed' || state.status === 'disabled';
    const marker = settled
      ? state.status === 'active'
        ? this.style.green('✓')
        : state.status === 'failed'
          ? this.style.red('✗')
          : this.style.dim('-')
      : this.style.cyan(frames[this.frame % frames.length]!);
    const error = state.error ? ` ${this.style.dim(state.error)}` : '';
    return `${marker} ${server} ${statusText(state.status, this.style)} ${this.style.dim(`${elapsed} ms`)}${error}`;
  }

  private draw(): void {
    this.frame++;
    const lines = [...this.states.keys()].map((server) => this.line(server));
    const up = this.drawnLines > 0 ? `\u001b[${this.drawnLines}F` : '';
    this.io.stderr.write(
      `${up}${lines.map((line) => `\u001b[2K${line}`).join('\n')}${lines.length ? '' : ''}`,
    );
    this.io.stderr.write('\n');
    this.drawnLines = lines.length;
  }
}
