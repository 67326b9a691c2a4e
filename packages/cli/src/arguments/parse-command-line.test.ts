import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './parse-command-line.js';

describe('parseCommandLine', () => {
  it('finds the command after flags that take values', () => {
    const line = parseCommandLine(['-c', 'mcp.json', 'tools', '--json']);
    expect(line).toMatchObject({
      kind: 'command',
      command: { name: 'tools' },
      values: { config: 'mcp.json', json: true },
    });
  });

  it('keeps positionals, including - and key=value, in order', () => {
    const line = parseCommandLine(['call', 'echo', 'a=1', '-', '--timeout', '5']);
    expect(line).toMatchObject({
      kind: 'command',
      positionals: ['echo', 'a=1', '-'],
      values: { timeout: '5' },
    });
  });

  it('gives help per command, in both spellings', () => {
    expect(parseCommandLine(['doctor', '--help'])).toMatchObject({
      kind: 'help',
      command: { name: 'doctor' },
    });
    expect(parseCommandLine(['help', 'serve'])).toMatchObject({ kind: 'help', command: { name: 'serve' } });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine([])).toEqual({ kind: 'none' });
  });

  it('rejects flags the command does not take, with the closest flag or their commands', () => {
    expect(() => parseCommandLine(['call', 'x', '--timout', '5'])).toThrow('Did you mean --timeout?');
    expect(() => parseCommandLine(['doctor', '--stdio'])).toThrow(
      'It is an option of "toolwire serve" and "toolwire gateway".',
    );
    expect(() => parseCommandLine(['inspect', '-x'])).toThrow('Unknown option -x for "toolwire inspect"');
    expect(() => parseCommandLine(['tools', '--json=yes'])).toThrow('--json is a switch and takes no value');
    expect(() => parseCommandLine(['help', 'tool'])).toThrow('Did you mean "tools"?');
  });
});
