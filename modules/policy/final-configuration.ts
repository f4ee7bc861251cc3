import type { TerraformStack } from 'cdktf';

type Json = Record<string, unknown>;

const pending = new WeakMap<TerraformStack, Json>();

/**
 * The stack's final configuration (`toTerraform()`: after every Aspect, with every override), resolved
 * once per synth. The synthesizer calls `stack.toTerraform()` right after the validations; that call
 * gets this same result instead of a second full resolution (about a tenth of a synth, measured).
 * It is handed over once: any later call resolves afresh. `toHclTerraform()` (cdktf synth --hcl)
 * resolves on its own and drops the pending result.
 */
export function finalConfiguration(stack: TerraformStack): Json {
  const cached = pending.get(stack);
  if (cached) return cached;
  const json = stack.toTerraform() as Json;
  pending.set(stack, json);
  const release = () => releaseFinalConfiguration(stack);
  const toHcl = stack.toHclTerraform;
  Object.defineProperty(stack, 'toTerraform', {
    configurable: true,
    writable: true,
    value: () => {
      release();
      return json;
    },
  });
  Object.defineProperty(stack, 'toHclTerraform', {
    configurable: true,
    writable: true,
    value: () => {
      release();
      return toHcl.call(stack);
    },
  });
  return json;
}

/**
 * Drops a pending hand-over: the next `toTerraform()` resolves afresh. For a synth that will not write
 * (error annotations end it before the synthesizer asks), so no later caller gets a stale result.
 */
export function releaseFinalConfiguration(stack: TerraformStack): void {
  pending.delete(stack);
  const instance = stack as unknown as Record<string, unknown>;
  delete instance.toTerraform;
  delete instance.toHclTerraform;
}
