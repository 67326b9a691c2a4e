/**
 * Terminal output: colour as no-color.org and force-color.org describe it, tables that fit their
 * columns, and one `CliIO` so commands write to streams a test can capture.
 */

export interface OutputStream {
  write(text: string): unknown;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** True when stdout is an interactive terminal (enables colour and the live progress display). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** What `toolwire call <tool> -` reads its JSON arguments from (the process's stdin in the executable). */
  stdin?: AsyncIterable<string | Uint8Array>;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether to colour: `FORCE_COLOR` set and non-empty forces it (`0` or `false` turn it off),
 * else `NO_COLOR` set and non-empty turns it off (an empty `NO_COLOR` does nothing, as
 * no-color.org says), else colour on an interactive terminal that is not `TERM=dumb`.
 */
export function colourEnabled(io: Pick<CliIO, 'env' | 'isTTY'>): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY && io.env.TERM !== 'dumb';
}

export function createStyle(io: CliIO): Style {
  const enabled = colourEnabled(io);
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ansi = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ansi, '').length;
}

/** Renders rows under headers; cells longer than `maxWidth` are cut with an ellipsis. */
export function renderTable(headers: string[], rows: string[][], style: Style, maxWidth = 60): string {
  const cells = rows.map((row) => row.map((cell) => truncate(cell.replace(/\s+/g, ' '), maxWidth)));
  const widths = headers.map((header, column) =>
    Math.max(visibleLength(header), ...cells.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [style.bold(line(headers)), ...cells.map(line)].join('\n');
}

function truncate(text: string, maxWidth: number): string {
  if (visibleLength(text) <= maxWidth) return text;
  // Only plain text is truncated; styled cells are short (status words).
  return `${text.replace(ansi, '').slice(0, maxWidth - 1)}…`;
}
