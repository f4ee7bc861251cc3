/**
 * Reads a synthesized stack (cdktf.out): its Lambda functions with their deployment zips (the very
 * files Terraform uploads, found through the stack's `filename` and checked against its
 * `source_code_hash`), the API Gateway routes in front of them, and the SQS queues that feed them.
 * Only the synth output is read: never the build cache behind it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

type Block = Record<string, unknown>;
interface StackJson {
  provider?: { aws?: { region?: string }[] };
  resource?: Record<string, Record<string, Block>>;
}

export interface StackFunction {
  /** Logical id in the stack (`chatbot_function`). */
  readonly id: string;
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Environment variables as synthesized: references to other resources are still `${...}`. */
  readonly environment: Record<string, string>;
  /** Absolute path of the deployment zip. */
  readonly zipFile: string;
  readonly activeTracing: boolean;
  readonly layers: string[];
}

export interface StackRoute {
  readonly apiName: string;
  readonly stageName: string;
  readonly method: string;
  /** The resource path, `/chat`. */
  readonly path: string;
  /** Logical id of the function behind an AWS_PROXY integration. */
  readonly functionId: string;
  /** The method requires an API key (`x-api-key`): API Gateway then passes its id in the event. */
  readonly apiKeyRequired: boolean;
}

export interface StackQueue {
  readonly id: string;
  readonly queueName: string;
  /** Logical id of the function an event source mapping feeds from it, if any. */
  readonly consumerId?: string;
  readonly batchSize?: number;
}

export interface SynthesizedStack {
  readonly name: string;
  /** The stack's working directory (where cdk.tf.json is). */
  readonly dir: string;
  readonly region: string;
  readonly functions: Record<string, StackFunction>;
  readonly routes: StackRoute[];
  readonly queues: Record<string, StackQueue>;
  /** Every resource block, by type and logical id (for what the demo reads beyond the above). */
  readonly resources: Record<string, Record<string, Block>>;
}

/** Why a stack cannot be read; the message says what to run. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

/** `${aws_lambda_function.chatbot_function.invoke_arn}` -> ['aws_lambda_function', 'chatbot_function', 'invoke_arn']. */
export function parseReference(value: unknown): [string, string, string] | undefined {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(typeof value === 'string' ? value : '');
  return m ? [m[1], m[2], m[3]] : undefined;
}

interface Manifest {
  stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string }>;
}

/** The stacks a cdktf.out holds, in manifest order. */
export function listStacks(outdir: string): string[] {
  const file = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new StackError(`No synthesized app at ${outdir}: run \`npm run synth\` first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  return Object.keys(manifest.stacks);
}

/**
 * Reads stack `name` of the synthesized app in `outdir` (default: the first stack with Lambda functions, not
 * an account-level stack that only holds account settings).
 */
export function readStack(outdir: string, name?: string): SynthesizedStack {
  const stacks = listStacks(outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  const json = (stack: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[stack].synthesizedStackPath), 'utf8')) as StackJson;
  const stackName = name ?? stacks.find((s) => json(s).resource?.aws_lambda_function) ?? stacks[0];
  if (!stackName) throw new StackError(`${outdir}/manifest.json lists no stack: run \`npm run synth\`.`);
  if (!stacks.includes(stackName)) {
    throw new StackError(
      `No stack "${stackName}" in ${outdir} (it has ${stacks.join(', ') || 'none'}). ` +
        `Synthesize it: \`TRACED_ENVIRONMENTS=${stackName} npm run synth\` (it must be declared in cdktf.json).`,
    );
  }
  const entry = manifest.stacks[stackName];
  return fromStackJson(stackName, path.join(outdir, entry.workingDirectory), json(stackName));
}

/** The stack model from a cdk.tf.json already read; `dir` resolves the zips' relative `filename`s. */
export function fromStackJson(name: string, dir: string, json: StackJson): SynthesizedStack {
  const resources = json.resource ?? {};
  const of = (type: string) => Object.entries(resources[type] ?? {});
  const functions: Record<string, StackFunction> = {};
  for (const [id, fn] of of('aws_lambda_function')) {
    if (typeof fn.filename !== 'string') continue; // an image or S3 function: nothing to run locally
    const zipFile = path.resolve(dir, fn.filename);
    if (!fs.existsSync(zipFile)) {
      throw new StackError(`aws_lambda_function.${id}: its zip ${zipFile} is missing: run \`npm run synth\` again.`);
    }
    if (typeof fn.source_code_hash === 'string') {
      const hash = crypto.createHash('sha256').update(fs.readFileSync(zipFile)).digest('base64');
      if (hash !== fn.source_code_hash) {
        throw new StackError(
          `aws_lambda_function.${id}: ${zipFile} does not match its source_code_hash: run \`npm run synth\` again.`,
        );
      }
    }
    const environment = ((fn.environment as Block | undefined)?.variables ?? {}) as Record<string, string>;
    functions[id] = {
      id,
      functionName: String(fn.function_name),
      handler: String(fn.handler ?? 'index.handler'),
      runtime: String(fn.runtime ?? ''),
      timeoutSeconds: Number(fn.timeout ?? 3),
      memoryMb: Number(fn.memory_size ?? 128),
      environment,
      zipFile,
      activeTracing: (fn.tracing_config as Block | undefined)?.mode === 'Active',
      layers: (fn.layers as string[] | undefined) ?? [],
    };
  }

  const functionRef = (value: unknown): string | undefined => {
    const ref = parseReference(value);
    return ref && ref[0] === 'aws_lambda_function' && functions[ref[1]] ? ref[1] : undefined;
  };
  // A reference to an argument the configuration sets is that argument's value: follow such references
  // (`${aws_api_gateway_method.m.http_method}` -> "POST", `${aws_api_gateway_method.m.resource_id}` -> the
  // resource); a reference to a computed attribute (`...resource.r.id`) stays as it is.
  const deref = (value: unknown): unknown => {
    const ref = parseReference(value);
    const target = ref ? resources[ref[0]]?.[ref[1]]?.[ref[2]] : undefined;
    return target === undefined ? value : deref(target);
  };
  const resourcePath = (resourceId: unknown): string => {
    const ref = parseReference(deref(resourceId));
    if (!ref || ref[0] !== 'aws_api_gateway_resource') return '';
    const block = resources.aws_api_gateway_resource?.[ref[1]];
    if (!block) return '';
    return `${resourcePath(block.parent_id)}/${block.path_part}`;
  };

  const routes: StackRoute[] = [];
  for (const [, integration] of of('aws_api_gateway_integration')) {
    const functionId = integration.type === 'AWS_PROXY' ? functionRef(integration.uri) : undefined;
    if (!functionId) continue;
    const apiRef = parseReference(integration.rest_api_id);
    const api = apiRef ? resources[apiRef[0]]?.[apiRef[1]] : undefined;
    const stage = of('aws_api_gateway_stage').find(([, s]) => s.rest_api_id === integration.rest_api_id)?.[1];
    const httpMethod = deref(integration.http_method);
    const method = typeof httpMethod === 'string' && !parseReference(httpMethod) ? httpMethod : 'ANY';
    const methodRef = parseReference(integration.http_method);
    const methodBlock = methodRef ? resources[methodRef[0]]?.[methodRef[1]] : undefined;
    routes.push({
      apiName: String(api?.name ?? 'api'),
      stageName: String(stage?.stage_name ?? '$default'),
      method,
      path: resourcePath(integration.resource_id) || '/',
      functionId,
      apiKeyRequired: methodBlock?.api_key_required === true,
    });
  }

  const queues: Record<string, StackQueue> = {};
  for (const [id, queue] of of('aws_sqs_queue')) {
    queues[id] = { id, queueName: String(queue.name ?? id) };
  }
  for (const [, mapping] of of('aws_lambda_event_source_mapping')) {
    const source = parseReference(mapping.event_source_arn);
    const consumerId = functionRef(mapping.function_name);
    if (source?.[0] === 'aws_sqs_queue' && queues[source[1]] && consumerId) {
      queues[source[1]] = {
        ...queues[source[1]],
        consumerId,
        batchSize: mapping.batch_size === undefined ? undefined : Number(mapping.batch_size),
      };
    }
  }

  const region = json.provider?.aws?.[0]?.region ?? 'us-west-2';
  return { name, dir, region, functions, routes, queues, resources };
}

/**
 * The newest modification time of the handler sources under `handlersDir`, to tell a user that the
 * zips predate their edits. Undefined when there is no such folder.
 */
export function newestSourceMtime(handlersDir: string): number | undefined {
  if (!fs.existsSync(handlersDir)) return undefined;
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  walk(handlersDir);
  return newest;
}
