import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects } from 'cdktf';
import { PolicyChecks, configureTokenTraces } from '../modules';
import { configureBackend } from './backend';
import { ChatbotTracingStack } from './chatbot-stack';
import { AccountStack, accountStackName } from './account-stack';
import { ConfigError, loadConfig, type EnvironmentConfig } from './config';

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

/**
 * The backend settings of an account-level stack: those of the first environment that shares it, under the
 * stack's own name (its own state key and local file), and its own HCP Terraform workspace.
 */
function accountBackendConfig(config: EnvironmentConfig, name: string): EnvironmentConfig {
  return {
    ...config,
    name,
    tfcWorkspace: config.tfcWorkspace === undefined ? undefined : `${config.tfcWorkspace}-${name}`,
  };
}

/**
 * Builds the reference app: one ChatbotTracingStack per configured environment, and an AccountStack per
 * account and region they share (API Gateway's CloudWatch role), unless manageApiGatewayAccount is false.
 */
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
  const configs = loadConfig(app.node.tryGetContext('environments'), env);
  const environments = configs.map((config) => {
    const stack = new ChatbotTracingStack(app, { config, projectRoot: options.projectRoot });
    configureBackend(stack, config, outdir, options.projectRoot);
    // The security baseline: error findings fail the synth.
    Aspects.of(stack).add(new PolicyChecks());
    return { config, stack };
  });
  // What an account and region has once lives in a stack of its own, shared by the environments there
  // (after them in the app: `npm run synth` and trace:demo lead with an environment).
  const accounts = new Map<string, AccountStack>();
  for (const { config, stack } of environments) {
    if (!config.manageApiGatewayAccount) continue;
    const name = accountStackName(config);
    if (configs.some((c) => c.name === name))
      throw new ConfigError(
        `Configuration: environment "${name}" has the name of the account-level stack of ${config.name}: rename it`,
      );
    let account = accounts.get(name);
    if (!account) {
      account = new AccountStack(app, name, config);
      accounts.set(name, account);
      configureBackend(account, accountBackendConfig(config, name), outdir, options.projectRoot);
      Aspects.of(account).add(new PolicyChecks());
    }
    stack.addDependency(account);
  }
  return app;
}
