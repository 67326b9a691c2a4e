import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from './progress-display.js';
import { type CliIO, createStyle } from './terminal.js';

function plainIO(): CliIO & { text(): string } {
  let text = '';
  const write = (chunk: string) => {
    text += chunk;
  };
  return { stdout: { write }, stderr: { write }, isTTY: false, env: {}, cwd: '.', text: () => text };
}

describe('ProgressDisplay', () => {
  it('prints one plain line per server as it settles, including servers it did not know at the start', () => {
    const io = plainIO();
    const display = new ProgressDisplay(io, createStyle(io), ['known']);
    display.update({ server: 'known', status: 'loading', previous: 'discovered', error: undefined });
    display.update({
      server: 'from-server-json',
      status: 'loading',
      previous: 'discovered',
      error: undefined,
    });
    display.update({ server: 'known', status: 'active', previous: 'loading', error: undefined });
    display.update({ server: 'from-server-json', status: 'active', previous: 'loading', error: undefined });
    display.stop();
    const lines = io.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✓ known active \d+ ms$/);
    expect(lines[1]).toMatch(/^✓ from-server-json active \d+ ms$/);
  });
});
