/**
 * Turning an engine's findings into argument issues, for every engine alike: each issue's text
 * bounded (a megabyte enum becomes "one of 100000 allowed values, such as …"), duplicates
 * dropped, at most `ARGUMENT_ISSUE_LIMITS.keptIssues` kept and the rest only counted, so a huge
 * invalid array costs no more to report than a small one.
 */
import { ARGUMENT_ISSUE_LIMITS, type ArgumentIssue, boundIssue } from '../errors/invalid-arguments-error.js';
import { previewValue } from '../util/bounded-text.js';
import type { ValidationResult } from './schema-types.js';

/** How many allowed values an enum message lists before it summarizes. */
const LISTED_ENUM_VALUES = 10;
const ENUM_LIST_CHARS = 200;

/** `must be one of "C", "F", null`, or for a long enum `must be one of 100000 allowed values, such as "a", "b", "c"`. */
export function describeEnum(allowed: readonly unknown[]): string {
  if (allowed.length <= LISTED_ENUM_VALUES) {
    const listed = allowed.map((value) => previewValue(value, 60)).join(', ');
    if (listed.length <= ENUM_LIST_CHARS) return `must be one of ${listed}`;
  }
  const examples = allowed.slice(0, 3).map((value) => previewValue(value, 40));
  return `must be one of ${allowed.length} allowed values, such as ${examples.join(', ')}`;
}

/** `must be "circle"`, bounded. */
export function describeConst(allowed: unknown): string {
  return `must be ${previewValue(allowed, 200)}`;
}

/** Collects bounded, de-duplicated issues and counts those past the limit. */
export class IssueCollector {
  private readonly issues: ArgumentIssue[] = [];
  private readonly seen = new Set<string>();
  private omitted = 0;

  get full(): boolean {
    return this.issues.length >= ARGUMENT_ISSUE_LIMITS.keptIssues;
  }

  add(issue: ArgumentIssue): void {
    const bounded = boundIssue(issue);
    const key = `${bounded.pathText}|${bounded.message}`;
    if (this.seen.has(key)) return;
    if (this.full) {
      this.omitted++;
      return;
    }
    this.seen.add(key);
    this.issues.push(bounded);
  }

  /** One more issue found but not kept (it may repeat a kept one: the count is an upper bound). */
  countMore(): void {
    this.omitted++;
  }

  result(): ValidationResult {
    if (this.issues.length === 0) {
      // An engine said "invalid" without saying why: still a rejection, never a silent pass.
      return {
        valid: false,
        issues: [
          { path: [], pathText: '(arguments)', message: 'do not match the schema', keyword: 'schema' },
        ],
      };
    }
    return {
      valid: false,
      issues: this.issues,
      ...(this.omitted > 0 ? { issueCount: this.issues.length + this.omitted } : {}),
    };
  }
}
