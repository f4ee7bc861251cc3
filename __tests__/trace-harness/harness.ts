/** Runs one Lambda invocation of a bundle under the OpenTelemetry setup of invoke.cjs. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzip } from '../support/zip';

const root = path.resolve(__dirname, '..', '..');

export interface HarnessSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; attributes?: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes?: Record<string, unknown> }[];
  instrumentation: string;
}

export interface Invocation {
  response?: { statusCode: number; body: string } & Record<string, unknown>;
  error?: { name: string; message: string };
  spans: HarnessSpan[];
  /** What the function logged. */
  stdout: string;
  stderr: string;
}

/**
 * A Lambda task root holding a deployment zip's files, where `@aws-sdk/*` resolves from the
 * project's node_modules as it resolves from the Lambda runtime's.
 */
export function taskRootFromZip(zip: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-task-'));
  for (const entry of unzip(zip)) fs.writeFileSync(path.join(dir, entry.name), entry.data);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Invokes the handler in a fresh Node process. Asynchronous on purpose: the fake AWS endpoint
 * answers from this process's event loop, which a synchronous spawn would block.
 */
export async function invoke(
  taskRoot: string,
  functionName: string,
  event: unknown,
  env: Record<string, string>,
): Promise<Invocation> {
  const resultFile = path.join(taskRoot, `result-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('AWS_') && !k.startsWith('OTEL_') && k !== '_X_AMZN_TRACE_ID',
    ),
  );
  const harnessEnv = {
    _HANDLER: 'index.handler',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIAHARNESSFAKE00000',
    AWS_SECRET_ACCESS_KEY: 'harness-fake-secret',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    ...env,
  };
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'invoke.cjs')],
      {
        cwd: taskRoot,
        env: { ...clean, HARNESS: JSON.stringify({ event, env: harnessEnv, resultFile }) },
        timeout: 20000,
      },
      (error, out, err) =>
        error
          ? reject(new Error(`invocation failed: ${error.message}\n${err}`))
          : resolve({ stdout: out, stderr: err }),
    );
  });
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Omit<Invocation, 'stdout' | 'stderr'>;
  fs.rmSync(resultFile);
  return { ...result, stdout, stderr };
}
