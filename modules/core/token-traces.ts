/**
 * cdktf records where every token (each `Lazy`, each attribute reference, each Terraform function
 * call) was created: an unbounded stack trace (`Error.stackTraceLimit` raised to the maximum), split
 * into lines, kept for the life of the app. It is read in one place only, the "Object creation
 * stack" appended to a token that fails to resolve. `App({ stackTraces: false })` does not stop it.
 * On the reference app it is about a tenth of the synth time, and it grows with every resource.
 *
 * cdktf is archived upstream: the internal module this replaces will not move. If it ever does,
 * nothing is replaced and synth is as before.
 */

/** Set to `1` to keep cdktf's token creation stacks, for debugging a resolution error. */
export const TOKEN_TRACES_ENV = 'CDKTF_TOKEN_TRACES';

type Capture = (below?: unknown) => string[];

/** Where cdktf's own capture is kept, on its module: every copy of this file finds it there. */
const ORIGINAL = Symbol.for('cdktf-traced-serverless/captureStackTrace');

interface StackTraceModule {
  captureStackTrace: Capture;
  [ORIGINAL]?: Capture;
}

const noTrace: Capture = () => [];

function cdktfStackTraceModule(): StackTraceModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('cdktf/lib/tokens/private/stack-trace') as Partial<StackTraceModule>;
    return typeof mod.captureStackTrace === 'function' ? (mod as StackTraceModule) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns cdktf's per-token stack capture off, unless `CDKTF_TOKEN_TRACES=1` is set in `env`
 * (then it is turned back on). Affects every cdktf app in this process; the synthesized output is
 * the same either way. Returns whether traces are now captured.
 */
export function configureTokenTraces(env: Record<string, string | undefined> = process.env): boolean {
  const mod = cdktfStackTraceModule();
  if (!mod) return true;
  const original = (mod[ORIGINAL] ??= mod.captureStackTrace);
  const on = env[TOKEN_TRACES_ENV] === '1';
  mod.captureStackTrace = on ? original : noTrace;
  return on;
}
