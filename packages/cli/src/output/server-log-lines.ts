/**
 * `--verbose`: the log messages servers send, one line each on stderr. Their text is the
 * server's: control characters (terminal escape sequences included) are shown escaped, never
 * sent to the terminal.
 */
import type { ServerLogEvent } from '@toolwire/core';
import type { CliIO, Style } from './terminal.js';

/** Writes one server log message as a line: `[server] level logger: data`. */
export function printServerLog(io: CliIO, style: Style, event: ServerLogEvent): void {
  const text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  const level = severe(event.level)
    ? style.red(event.level)
    : event.level === 'warning'
      ? style.yellow(event.level)
      : style.dim(event.level);
  const logger = event.logger === undefined ? '' : ` ${escapeControls(event.logger)}`;
  io.stderr.write(
    `${style.dim(`[${event.server}]`)} ${level}${logger}: ${escapeControls(text ?? '')}${event.truncated ? style.dim(' (cut)') : ''}\n`,
  );
}

function severe(level: ServerLogEvent['level']): boolean {
  return level === 'error' || level === 'critical' || level === 'alert' || level === 'emergency';
}

/** Control characters (C0 but tab, DEL, C1) as `\xNN`, so a server cannot drive the terminal. */
export function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (character) =>
    character === '\n' ? '\\n' : `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
