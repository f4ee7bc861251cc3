/**
 * Runs one Lambda invocation of a deployment zip under the OpenTelemetry setup of invoke.cjs: a fresh
 * Node process per invocation, as a cold Lambda execution environment with the ADOT layer.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import type { TraceSpan } from './model';

const root = path.resolve(__dirname, '..');

export interface Invocation {
  response?: { statusCode: number; body: string } & Record<string, unknown>;
  /** What the handler threw (Lambda would report it as a function error). */
  error?: { name: string; message: string; stack?: string };
  spans: TraceSpan[];
  /** What the function logged. */
  stdout: string;
  stderr: string;
}

/**
 * A Lambda task root holding a deployment zip's files, where `@aws-sdk/*` resolves from the
 * project's node_modules as it resolves from the Lambda runtime's. Remove it with `fs.rmSync`.
 */
export function taskRootFromZip(zip: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-task-'));
  for (const [name, data] of Object.entries(unzipSync(zip))) {
    if (name.endsWith('/')) continue; // a folder entry
    const file = path.join(dir, name);
    if (!file.startsWith(dir + path.sep)) throw new Error(`zip entry escapes the task root: ${name}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export interface InvokeOptions {
  /** The function's name (`AWS_LAMBDA_FUNCTION_NAME`, and the spans' `service.name`). */
  functionName: string;
  /** Its environment variables, with `_X_AMZN_TRACE_ID` as the Lambda runtime sets it. */
  env: Record<string, string>;
  /** `handler` of the function. @default 'index.handler' */
  handler?: string;
  /** The region (`AWS_REGION`). @default 'us-west-2' */
  region?: string;
  /** The function's timeout: the context's remaining time counts down from it. @default 3 */
  timeoutSeconds?: number;
  /** @default 128 */
  memoryMb?: number;
}

/**
 * Invokes the handler in a fresh Node process. Asynchronous on purpose: the fake AWS endpoints
 * answer from this process's event loop, which a synchronous spawn would block.
 */
export async function invoke(taskRoot: string, event: unknown, options: InvokeOptions): Promise<Invocation> {
  const resultFile = path.join(taskRoot, `result-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('AWS_') && !k.startsWith('OTEL_') && k !== '_X_AMZN_TRACE_ID' && k !== 'NODE_OPTIONS',
    ),
  );
  const timeoutSeconds = options.timeoutSeconds ?? 3;
  const harnessEnv: Record<string, string> = {
    _HANDLER: options.handler ?? 'index.handler',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb ?? 128),
    AWS_REGION: options.region ?? 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIAHARNESSFAKE00000',
    AWS_SECRET_ACCESS_KEY: 'harness-fake-secret',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    // Lambda runs nodejs22.x; the SDK's notice about this machine's Node.js is not the function's.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.env,
  };
  // NODE_OPTIONS is read by Node at start: it goes on the process, not into HARNESS.
  const nodeOptions = harnessEnv.NODE_OPTIONS;
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'invoke.cjs')],
      {
        cwd: taskRoot,
        env: {
          ...clean,
          ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
          HARNESS: JSON.stringify({ event, env: harnessEnv, resultFile, timeoutSeconds, memoryMb: options.memoryMb }),
        },
        // The function's own timeout, plus the process start.
        timeout: timeoutSeconds * 1000 + 10000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, out, err) =>
        error
          ? reject(new Error(`invocation of ${options.functionName} failed: ${error.message}\n${err}`))
          : resolve({ stdout: out, stderr: err }),
    );
  });
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Omit<Invocation, 'stdout' | 'stderr'>;
  fs.rmSync(resultFile);
  return { ...result, stdout, stderr };
}
