/**
 * How X-Ray matches a sampling rule's string matchers, `*` (any characters, none included) and `?`
 * (one character), and whether two matchers can match the same value. Pure functions.
 */

/** Whether `pattern` matches all of `value`. */
export function globMatches(pattern: string, value: string): boolean {
  return globsOverlap(pattern, value.replace(/[*?]/g, '\0'));
}

/**
 * Whether some value matches both patterns: walks both at once, a `*` either ending or taking one more
 * character, a `?` or a literal taking exactly one (NUL stands for a literal `*` or `?` in a value).
 */
export function globsOverlap(a: string, b: string): boolean {
  const seen = new Set<number>();
  const width = b.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    if (i < a.length && a[i] === '*' && visit(i + 1, j)) return true;
    if (j < b.length && b[j] === '*' && visit(i, j + 1)) return true;
    if (i === a.length || j === b.length) return false;
    if (a[i] === '*' && b[j] === '*') return false; // taking a character together changes nothing
    const x = a[i];
    const y = b[j];
    const wild = (c: string) => c === '*' || c === '?';
    if (!wild(x) && !wild(y) && x !== y) return false;
    return visit(x === '*' ? i : i + 1, y === '*' ? j : j + 1);
  };
  return visit(0, 0);
}

/** The string matchers of a rule, as X-Ray compares them with a request. */
export const RULE_MATCHERS = ['serviceName', 'serviceType', 'host', 'httpMethod', 'urlPath', 'resourceArn'] as const;
export type RuleMatcher = (typeof RULE_MATCHERS)[number];

/**
 * The matchers on which two rules cannot both match a request, or an empty list when some request
 * matches both (attributes aside: a rule with attributes matches fewer requests, never more).
 */
export function disjointMatchers(
  a: Readonly<Partial<Record<RuleMatcher, string>>>,
  b: Readonly<Partial<Record<RuleMatcher, string>>>,
): RuleMatcher[] {
  return RULE_MATCHERS.filter((m) => !globsOverlap(a[m] ?? '*', b[m] ?? '*'));
}
