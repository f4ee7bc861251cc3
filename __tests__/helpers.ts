import { Testing, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ReadableStack } from '../modules';
import { testApp } from './support/scratch';

/** A synthesized stack, parsed: `resource.<type>.<id>`, `data.<type>.<id>`, `output`, ... */
export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  terraform: Record<string, unknown>;
  provider?: Record<string, unknown>;
}

/** A fresh stack named `test` with an AWS provider, as the reference app builds it. */
export function testStack(id = 'test'): { app: App; stack: ReadableStack } {
  const app = testApp();
  const stack = new ReadableStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  return { app, stack };
}

/** Builds constructs in a test stack and returns the synthesized JSON (validations run). */
export function synth(build: (stack: ReadableStack) => void): Synthesized {
  const { stack } = testStack();
  build(stack);
  return JSON.parse(Testing.synth(stack, true)) as Synthesized;
}

/** The resources of one type, keyed by logical id ({} when there are none). */
export function resources(s: Synthesized, type: string): Record<string, Record<string, unknown>> {
  return s.resource[type] ?? {};
}

/** Runs `build` in a fresh stack and returns the error message it throws. */
export function errorOf(build: (stack: ReadableStack) => void): string {
  const { stack } = testStack();
  try {
    build(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the construct to throw');
}
