/**
 * Deadlines: every AWS call of an invocation ends before the Lambda function's own timeout, so the
 * caller gets a JSON answer instead of API Gateway's bare 502/504 for a timed-out function.
 *
 * The SDK call is given an AbortSignal (SDK v3 `send(command, { abortSignal })`: the HTTP handler
 * destroys the request and its socket), and the caller stops waiting at the deadline even if the
 * SDK (or a streamed body) does not notice the signal.
 */

/**
 * Milliseconds kept back from the Lambda's remaining time: enough to log, shape the response and let
 * the ADOT layer flush the invocation's spans after the handler returns.
 */
export const DEADLINE_MARGIN_MS = 1500;

/** The budget when there is no Lambda context (local runs, tests that pass none). */
export const FALLBACK_BUDGET_MS = 10_000;

/** Thrown when a step runs out of time; `step` names it (`InvokeAgent`, `SendMessage`, ...). */
export class DeadlineExceeded extends Error {
  constructor(
    public readonly step: string,
    public readonly budgetMs: number,
  ) {
    super(`${step} did not finish within ${budgetMs} ms (the function's remaining time less ${DEADLINE_MARGIN_MS} ms)`);
    this.name = 'DeadlineExceeded';
  }
}

/** The epoch millisecond at which the invocation must stop waiting for AWS calls. */
export interface Deadline {
  readonly at: number;
}

/**
 * The deadline of an invocation: the Lambda context's remaining time less the margin. A context
 * without a usable `getRemainingTimeInMillis` gets {@link FALLBACK_BUDGET_MS}.
 */
export function deadlineFrom(context: unknown, now = Date.now(), marginMs = DEADLINE_MARGIN_MS): Deadline {
  let remaining = FALLBACK_BUDGET_MS + marginMs;
  const get = (context as { getRemainingTimeInMillis?: unknown } | null | undefined)?.getRemainingTimeInMillis;
  if (typeof get === 'function') {
    try {
      const value = Number(get.call(context));
      if (Number.isFinite(value)) remaining = value;
    } catch {
      // a broken context object: keep the fallback
    }
  }
  return { at: now + Math.max(0, remaining - marginMs) };
}

/**
 * Runs `work` with an AbortSignal that fires at the deadline. Resolves with its result, or rejects
 * with {@link DeadlineExceeded} at the deadline whether or not `work` honours the signal. A step that
 * starts with no time left is not started.
 */
export async function beforeDeadline<T>(
  deadline: Deadline,
  step: string,
  work: (signal: AbortSignal) => Promise<T>,
  now = Date.now(),
): Promise<T> {
  const budgetMs = Math.max(0, deadline.at - now);
  const exceeded = new DeadlineExceeded(step, budgetMs);
  if (budgetMs === 0) throw exceeded;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(exceeded), budgetMs);
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(exceeded), { once: true }),
  );
  let running: Promise<T> | undefined;
  try {
    running = work(controller.signal);
    return await Promise.race([running, aborted]);
  } catch (error) {
    // An SDK AbortError raised by our own signal is the deadline, not a service fault.
    throw controller.signal.aborted ? exceeded : error;
  } finally {
    clearTimeout(timer);
    // The loser of the race settles later: never as an unhandled rejection.
    running?.catch(() => undefined);
    aborted.catch(() => undefined);
  }
}
