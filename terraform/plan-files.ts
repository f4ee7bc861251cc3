/**
 * Where `npm run plan:offline` saves plans (plans/<name>/) and what it records about them, read back by
 * `npm run plan:summary`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Relative to the project root. */
export const PLANS_DIR = 'plans';

export interface PlanMeta {
  /** The configuration's name (`dev`, `full-architecture`). */
  readonly name: string;
  /** The root module planned, and the sha256 of its configuration files (units.ts sourceDigest). */
  readonly source: { readonly module: string; readonly digest: string };
  /** terraform's version. */
  readonly terraform: string;
  /** Where hashicorp/aws came from, e.g. `hashicorp/aws 5.100.0 (local mirror)`. */
  readonly provider: string;
  /** What the provider shim changed in the scratch copy (`file: change`), empty when it did not run. */
  readonly shim: readonly string[];
  /** The stand-in's account id the plan read. */
  readonly account: string;
  /** The AWS calls the plan made, e.g. `sts:GetCallerIdentity (us-west-2)`. */
  readonly awsCalls: readonly string[];
  /** How long init + plan + show took. */
  readonly seconds: number;
}

export interface SavedPlanFiles {
  readonly dir: string;
  readonly meta: PlanMeta;
  /** The parsed plan.json. */
  readonly plan: Record<string, unknown>;
}

/** The saved plan of a configuration, or undefined when there is none. */
export function readSavedPlan(root: string, name: string): SavedPlanFiles | undefined {
  const dir = path.join(root, PLANS_DIR, name);
  const metaFile = path.join(dir, 'meta.json');
  const planFile = path.join(dir, 'plan.json');
  if (!fs.existsSync(metaFile) || !fs.existsSync(planFile)) return undefined;
  return {
    dir,
    meta: JSON.parse(fs.readFileSync(metaFile, 'utf8')) as PlanMeta,
    plan: JSON.parse(fs.readFileSync(planFile, 'utf8')) as Record<string, unknown>,
  };
}

/** The names of every saved plan. */
export function savedPlanNames(root: string): string[] {
  const dir = path.join(root, PLANS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => fs.existsSync(path.join(dir, n, 'meta.json')))
    .sort();
}
