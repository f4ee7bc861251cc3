import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects } from 'cdktf';
import { PolicyChecks, configureTokenTraces } from '../modules';
import { configureBackend } from './backend';
import { ChatbotTracingStack } from './chatbot-stack';
import { loadConfig } from './config';

export interface CreateAppOptions {
  /** The project root (where cdktf.json is). */
  readonly projectRoot: string;
  /** @default - CDKTF_OUTDIR, else 'cdktf.out' */
  readonly outdir?: string;
  /** @default process.env */
  readonly env?: Record<string, string | undefined>;
}

/** Reads `context` from cdktf.json, so running the app without the cdktf CLI sees the same configuration. */
export function readCdktfJsonContext(projectRoot: string): Record<string, unknown> {
  const file = path.join(projectRoot, 'cdktf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/** Builds the reference app: one ChatbotTracingStack per configured environment. */
export function createApp(options: CreateAppOptions): App {
  const env = options.env ?? process.env;
  // cdktf's per-token stack traces: off unless CDKTF_TOKEN_TRACES=1 (see modules/core/token-traces.ts).
  configureTokenTraces(env);
  const app = new App({
    outdir: options.outdir,
    // No construct stack traces: they are not in the output and cost a tenth of the synth time.
    stackTraces: false,
    // Context given by the cdktf CLI (CDKTF_CONTEXT_JSON) takes precedence over this.
    context: readCdktfJsonContext(options.projectRoot),
  });
  const outdir = path.relative(options.projectRoot, path.resolve(options.projectRoot, app.outdir));
  for (const config of loadConfig(app.node.tryGetContext('environments'), env)) {
    const stack = new ChatbotTracingStack(app, { config, projectRoot: options.projectRoot });
    configureBackend(stack, config, outdir, options.projectRoot);
    // The security baseline: error findings fail the synth.
    Aspects.of(stack).add(new PolicyChecks());
  }
  return app;
}
