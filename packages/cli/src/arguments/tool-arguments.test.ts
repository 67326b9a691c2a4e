import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../commands/usage-error.js';
import { parseToolArguments, readStdinArgument } from './tool-arguments.js';

const schema = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    count: { type: 'integer' },
    label: { type: ['string', 'null'] },
    mode: { enum: ['fast', 'slow'] },
    anything: {},
  },
};

describe('parseToolArguments', () => {
  it('keeps the text where the schema wants only a string, reads JSON elsewhere', () => {
    expect(
      parseToolArguments({
        tokens: ['message=123', 'count=3', 'label=true', 'mode=fast', 'anything=[1,2]', 'extra=hello'],
        inputSchema: schema,
      }),
    ).toEqual({ message: '123', count: 3, label: 'true', mode: 'fast', anything: [1, 2], extra: 'hello' });
  });

  it('splits at the first =, so values may contain one', () => {
    expect(parseToolArguments({ tokens: ['query=a=b'], inputSchema: schema })).toEqual({ query: 'a=b' });
  });

  it('merges JSON objects, pairs and stdin in order; later ones win', () => {
    expect(
      parseToolArguments({
        tokens: ['{"message":"a","count":1}', '-', 'message=c'],
        stdinText: '{"message":"b","mode":"slow"}',
        inputSchema: schema,
      }),
    ).toEqual({ message: 'c', count: 1, mode: 'slow' });
  });

  it('rejects what is neither a pair nor a JSON object, naming the token', () => {
    expect(() => parseToolArguments({ tokens: ['hello'] })).toThrow(UsageError);
    expect(() => parseToolArguments({ tokens: ['=x'] })).toThrow('Cannot read the argument "=x"');
    expect(() => parseToolArguments({ tokens: ['{bad'] })).toThrow('the JSON argument is not');
    expect(() => parseToolArguments({ tokens: ['-'], stdinText: '"text"' })).toThrow('stdin is string');
  });
});

describe('readStdinArgument', () => {
  it('reads stdin only when asked, once', async () => {
    expect(await readStdinArgument(['a=1'], Readable.from(['ignored']))).toBeUndefined();
    expect(await readStdinArgument(['-'], Readable.from([Buffer.from('{"a":'), '1}']))).toBe('{"a":1}');
    await expect(readStdinArgument(['-', '-'], Readable.from(['{}']))).rejects.toThrow('only once');
    await expect(readStdinArgument(['-'], undefined)).rejects.toThrow('no stdin');
  });
});
