/**
 * JSONC, as VS Code reads its `mcp.json`: JSON plus `//` and `/* *\/` comments anywhere and
 * trailing commas, parsed by `jsonc-parser` (VS Code's own parser, no Node built-ins, so the root
 * entry stays runtime-neutral). Values come out exactly as `JSON.parse` would make them
 * (a `"__proto__"` key is an own property, not a prototype), and every syntax error carries its
 * line and column and the config path it sits in.
 */
import { getLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';

/** A syntax error, 1-based. */
export interface JSONCSyntaxError {
  line: number;
  column: number;
  /** Where in the document it is, e.g. `mcpServers.crm.headers` (empty at the top). */
  path: string;
  message: string;
}

/** Reported per document at most; after the first few, errors are mostly consequences of it. */
const MAX_REPORTED_ERRORS = 5;

const descriptions: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'comment not closed ("*/" missing)',
  UnexpectedEndOfString: 'string not closed (closing quote missing)',
  UnexpectedEndOfNumber: 'number not finished',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

/** Parses JSONC text: the value, or the syntax errors (never both). */
export function parseJSONC(
  text: string,
): { value: unknown; errors: [] } | { value: undefined; errors: JSONCSyntaxError[] } {
  // Editors may save a byte order mark; VS Code ignores it, so do we.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parseErrors: ParseError[] = [];
  let tree: Node | undefined;
  let value: unknown;
  try {
    tree = parseTree(body, parseErrors, {
      allowTrailingComma: true,
      disallowComments: false,
      allowEmptyContent: false,
    });
    if (parseErrors.length === 0 && tree !== undefined) value = toValue(tree);
  } catch {
    // Both the parser and the conversion recurse: nesting deep enough to exhaust the stack is not
    // a configuration, and must not escape as a bare RangeError.
    return { value: undefined, errors: [{ line: 1, column: 1, path: '', message: 'nested too deeply' }] };
  }
  if (parseErrors.length > 0 || tree === undefined) {
    // A second error at the same place is the first one's echo (`{ "a": ` lacks a value and "}").
    const distinct = parseErrors.filter(
      (error, index) => index === 0 || error.offset !== parseErrors[index - 1]?.offset,
    );
    const errors = distinct.slice(0, MAX_REPORTED_ERRORS).map((error) => {
      const { line, column } = lineAndColumn(body, error.offset);
      return {
        line,
        column,
        path: formatPath(getLocation(body, error.offset).path.filter((segment) => segment !== '')),
        message: descriptions[printParseErrorCode(error.error)] ?? 'syntax error',
      };
    });
    if (errors.length === 0) errors.push({ line: 1, column: 1, path: '', message: 'expected a value' });
    return { value: undefined, errors };
  }
  return { value, errors: [] };
}

/**
 * The issues for syntax errors, one each: `not valid JSONC at <file>:<line>:<column>: …`, so a
 * terminal or editor can jump to it.
 */
export function syntaxIssues(errors: readonly JSONCSyntaxError[], file: string | undefined): ConfigIssue[] {
  return errors.map((error) => ({
    path: error.path,
    line: error.line,
    column: error.column,
    message: `not valid JSONC at ${file === undefined ? '' : `${file}:`}${error.line}:${error.column}: ${error.message}`,
  }));
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON.parse semantics: plain objects with own properties (later duplicates win). */
function toValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        Object.defineProperty(result, String(key.value), {
          value: toValue(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}
