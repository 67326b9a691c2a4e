import { describe, expect, it } from 'vitest';
import { codeGenerationAllowed } from './code-generation.js';
import { JSONSchemaValidator } from './json-schema-validator.js';

const disallowed = process.execArgv.includes('--disallow-code-generation-from-strings');

describe('engine choice', () => {
  it('detects whether this runtime allows code generation', () => {
    expect(codeGenerationAllowed()).toBe(!disallowed);
  });

  it("chooses the compiled engine where it may, the interpreted one where it may not ('auto')", () => {
    expect(new JSONSchemaValidator().engine).toBe(disallowed ? 'interpreted' : 'compiled');
  });
});
