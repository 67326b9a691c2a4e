import { describe, expect, it } from 'vitest';
import { isTasksRequiredRefusal, withoutTasksMeta } from './task-opt-out.js';
import { TASKS_EXTENSION } from './task-wire.js';

const KEY = 'io.modelcontextprotocol/clientCapabilities';

describe('withoutTasksMeta', () => {
  it('declares every capability but the Tasks extension, other extensions included', () => {
    const meta = withoutTasksMeta('modern', {
      sampling: {},
      extensions: { [TASKS_EXTENSION]: {}, 'example.com/other': { on: true } },
    });
    expect(meta).toEqual({ [KEY]: { sampling: {}, extensions: { 'example.com/other': { on: true } } } });
  });

  it('drops an extensions object left empty', () => {
    expect(withoutTasksMeta('modern', { roots: {}, extensions: { [TASKS_EXTENSION]: {} } })).toEqual({
      [KEY]: { roots: {} },
    });
  });

  it('adds nothing on the 2025 era or before the connection knows its capabilities', () => {
    expect(withoutTasksMeta('legacy', { extensions: { [TASKS_EXTENSION]: {} } })).toEqual({});
    expect(withoutTasksMeta(undefined, { extensions: { [TASKS_EXTENSION]: {} } })).toEqual({});
    expect(withoutTasksMeta('modern', undefined)).toEqual({});
  });
});

describe('isTasksRequiredRefusal', () => {
  it('is true only for -32021 naming the Tasks extension', () => {
    const data = { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } };
    expect(isTasksRequiredRefusal(-32021, data)).toBe(true);
    expect(isTasksRequiredRefusal(-32021, { requiredCapabilities: { sampling: {} } })).toBe(false);
    expect(isTasksRequiredRefusal(-32021, undefined)).toBe(false);
    expect(isTasksRequiredRefusal(-32603, data)).toBe(false);
  });
});
