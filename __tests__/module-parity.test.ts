import { TracedFunction, TracedQueue } from '../modules';
import { MODULES, synthModule, type ModuleSpec } from '../terraform-modules';
import { synth, type Synthesized } from './helpers';
import { parity, terraformEvaluator } from './support/parity';
import type { ReadableStack } from '../modules';

type Json = Record<string, unknown>;

interface ParityCase {
  readonly name: string;
  /** The module's variable values (the rest take their defaults). */
  readonly values: Record<string, unknown>;
  /** The construct with the same values, built as the module builds it (same ids). */
  readonly construct: (stack: ReadableStack) => void;
}

const CASES: Record<string, ParityCase[]> = {
  'traced-queue': [
    {
      name: 'with a consumer',
      values: {
        queue_name: 'dev-enquiries',
        consumer_function_arn: 'arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer',
        consumer_role_name: 'dev-enquiry-consumer-role',
        consumer_timeout_seconds: 20,
        consumer_reserved_concurrency: 5,
        alarm_actions: ['arn:aws:sns:us-west-2:111122223333:ops'],
      },
      construct: (stack) =>
        new TracedQueue(stack, 'queue', {
          queueName: 'dev-enquiries',
          consumer: TracedFunction.fromFunctionAttributes(stack, 'consumer', {
            functionArn: 'arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer',
            roleName: 'dev-enquiry-consumer-role',
            timeoutSeconds: 20,
            reservedConcurrency: 5,
            policyName: 'dev-enquiries-consume',
          }),
          alarmActions: ['arn:aws:sns:us-west-2:111122223333:ops'],
        }),
    },
    {
      name: 'without a consumer, every input set',
      values: {
        queue_name: 'orders',
        max_receive_count: 7,
        batch_size: 100,
        max_batching_window_seconds: 5,
        visibility_timeout_seconds: 90,
        retention_days: 14,
      },
      construct: (stack) =>
        new TracedQueue(stack, 'queue', {
          queueName: 'orders',
          maxReceiveCount: 7,
          batchSize: 100,
          maxBatchingWindowSeconds: 5,
          visibilityTimeoutSeconds: 90,
          retentionDays: 14,
        }),
    },
  ],
};

const built = new Map<string, Json>();
const moduleJson = (spec: ModuleSpec) => {
  if (!built.has(spec.name)) built.set(spec.name, synthModule(spec).json);
  return built.get(spec.name) as Json;
};

/** The module's variable values: the case's, and every other variable's default. */
function valuesOf(json: Json, given: Record<string, unknown>): Record<string, unknown> {
  const variables = json.variable as Record<string, Json>;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(variables)) {
    if (name in given) out[name] = given[name];
    else if ('default' in v) out[name] = v.default;
  }
  return out;
}

const withCases = MODULES.filter((m) => m.name in CASES);
const evaluate = terraformEvaluator();
if (!evaluate) process.stdout.write('module parity: terraform not found, computed module arguments are not compared\n');

describe.each(withCases.map((m) => [m.name, m] as const))('module %s builds what its construct builds', (_, spec) => {
  it.each(CASES[spec.name].map((c) => [c.name, c] as const))('%s', (__, c) => {
    const constructJson = synth(c.construct) as unknown as Synthesized & Json;
    const json = moduleJson(spec);
    const report = parity(constructJson, json, valuesOf(json, c.values), evaluate);
    expect({ onlyInConstruct: report.onlyInConstruct, onlyInModule: report.onlyInModule }).toEqual({
      onlyInConstruct: [],
      onlyInModule: [],
    });
    expect(report.differences).toEqual([]);
    expect(report.matched).toBeGreaterThan(10);
  });
});
