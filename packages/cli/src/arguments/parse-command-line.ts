/**
 * Splits a command line into the command, its positionals and its flags (node's own
 * `parseArgs`, strict, with only the flags that command takes). A flag the command does not take
 * is a usage error that names the closest flag, or the commands the flag belongs to.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../commands/usage-error.js';
import { type CommandSpec, commandSpec, commandSpecs, type FlagSpec, globalFlags } from './command-specs.js';
import { didYouMean } from './did-you-mean.js';

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export type CommandLine =
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'version' }
  | { kind: 'none' }
  | { kind: 'command'; command: CommandSpec; positionals: string[]; values: FlagValues };

export function parseCommandLine(argv: string[]): CommandLine {
  const name = findCommandName(argv);
  if (name === 'help') {
    const topic = argv.slice(argv.indexOf('help') + 1).find((token) => !token.startsWith('-'));
    if (topic === undefined) return { kind: 'help' };
    const command = commandSpec(topic);
    if (!command) throw unknownCommand(topic);
    return { kind: 'help', command };
  }
  const command = name === undefined ? undefined : commandSpec(name);
  if (name !== undefined && !command) throw unknownCommand(name);
  const flags: Record<string, FlagSpec> = { ...(command?.flags ?? {}), ...globalFlags };
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(flags).map(([flag, spec]) => [
          flag,
          {
            type: spec.type,
            ...(spec.short ? { short: spec.short } : {}),
            ...(spec.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    }) as { values: FlagValues; positionals: string[] };
  } catch (error) {
    throw explainParseError(error, command, flags);
  }
  if (parsed.values.help) return command ? { kind: 'help', command } : { kind: 'help' };
  if (parsed.values.version) return { kind: 'version' };
  if (!command) return { kind: 'none' };
  return { kind: 'command', command, positionals: parsed.positionals.slice(1), values: parsed.values };
}

/** The first positional, skipping the values of flags that take one (whatever the command). */
function findCommandName(argv: string[]): string | undefined {
  const takesValue = new Set<string>();
  for (const spec of commandSpecs) {
    for (const [flag, flagSpec] of Object.entries(spec.flags)) {
      if (flagSpec.type !== 'string') continue;
      takesValue.add(`--${flag}`);
      if (flagSpec.short) takesValue.add(`-${flagSpec.short}`);
    }
  }
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') return argv[index + 1];
    if (takesValue.has(token)) {
      index++;
      continue;
    }
    if (!token.startsWith('-') || token === '-') return token;
  }
  return undefined;
}

function unknownCommand(name: string): UsageError {
  const close = didYouMean(name, [...commandSpecs.map((spec) => spec.name), 'help']);
  return new UsageError(
    `Unknown command "${name}".${close[0] ? ` Did you mean "${close[0]}"?` : ''} Run \`toolwire --help\` for the list.`,
  );
}

function explainParseError(
  error: unknown,
  command: CommandSpec | undefined,
  flags: Record<string, FlagSpec>,
) {
  const message = error instanceof Error ? error.message : String(error);
  const where = command ? `toolwire ${command.name}` : 'toolwire';
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown) {
    const [, dashes, name] = unknown as unknown as [string, string, string];
    const flag = `${dashes}${name}`;
    const own = Object.keys(flags).map((key) => `--${key}`);
    const close = didYouMean(flag, own);
    const owners = commandSpecs
      .filter((spec) => dashes === '--' && name in spec.flags)
      .map((spec) => spec.name);
    let hint = close[0] ? ` Did you mean ${close[0]}?` : '';
    if (!close[0] && owners.length > 0)
      hint = ` It is an option of ${listInWords(owners.map((owner) => `"toolwire ${owner}"`))}.`;
    return new UsageError(
      `Unknown option ${flag} for "${where}".${hint} Run \`${where} --help\` for its options.`,
    );
  }
  const missing = /^Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return new UsageError(`${missing[2]} needs a value (see \`${where} --help\`).`);
  const unexpected = /^Option '(-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
  if (unexpected)
    return new UsageError(`${unexpected[2]} is a switch and takes no value (see \`${where} --help\`).`);
  return new UsageError(`${message.split('\n')[0]} (see \`${where} --help\`).`);
}

/** `a`, `a and b`, `a, b and c`. */
function listInWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
