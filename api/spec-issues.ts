import type { z } from 'zod';
import { didYouMean } from '../core/suggest.js';
import { keysAllowedAt } from './topology-spec-schema.js';
import { describeValue } from './topology-problem.js';

/** A problem in a spec file: where in it (a path) and what is wrong. */
export interface SpecProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * Turns zod's issues into problems in our words: one per unknown key (with the allowed keys), and for a value
 * that fits none of a union's forms, the problems of the form it came closest to.
 */
export function specProblems(issues: readonly Issue[], base: readonly PropertyKey[] = []): SpecProblem[] {
  return issues.flatMap((issue) => problemsOf(issue, [...base, ...issue.path]));
}

function problemsOf(issue: Issue, path: readonly PropertyKey[]): SpecProblem[] {
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAllowedAt(path) ?? [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key${didYouMean(key, allowed)}; expected one of ${allowed.join(', ')}`,
      }));
    }
    case 'invalid_type':
      if (input === undefined) return [{ path, message: `missing; expected ${typeName(issue.expected)}` }];
      return [{ path, message: `expected ${typeName(issue.expected)}, got ${describeValue(input)}` }];
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof input === 'string' ? didYouMean(input, values) : '';
      return [{ path, message: `expected one of ${values.join(', ')}, got ${describeValue(input)}${hint}` }];
    }
    case 'invalid_union': {
      // A branch that failed only because the value is of another type says nothing; a branch that got further
      // (the value was an object but had a bad key) is the one the author meant.
      const closer = issue.errors.filter((branch) => !(branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0));
      if (closer[0] !== undefined) return specProblems(closer[0], path);
      const expected = [...new Set(issue.errors.map((branch) => (branch[0]?.code === 'invalid_type' ? typeName(branch[0].expected) : 'something else')))];
      return [{ path, message: `expected ${orList(expected)}, got ${describeValue(input)}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'an object';
    case 'null':
    case 'undefined':
      return expected;
    default:
      return `a ${expected}`;
  }
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `bolts[0].inputs[1].grouping`, with keys that are not plain names quoted: `config["topology.stmgrs"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
