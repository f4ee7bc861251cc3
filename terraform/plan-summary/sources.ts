/**
 * Which source each review comes from: the real plan `npm run plan:offline` saved
 * (plans/<name>/plan.json) when it is of the current configuration, else the synthesized stack
 * (cdktf.out), saying which. Saved plans of other configurations (full-architecture) follow.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSavedPlan, savedPlanNames, type SavedPlanFiles } from '../plan-files';
import { FULL_ARCHITECTURE, fullArchitectureUnit, sourceDigest, stackUnits, type Unit } from '../units';
import { planReview } from './from-plan';
import { renderReview, synthReview } from './summary';

/** One line saying which plan the figures come from. */
export function planSource(saved: SavedPlanFiles): string {
  const m = saved.meta;
  const shim = m.shim.length > 0 ? ', with the provider shim (terraform/shim.ts)' : '';
  return (
    `From the offline plan ${path.relative(process.cwd(), saved.dir)}/plan.json: terraform ${m.terraform}, ${m.provider}${shim}; ` +
    `AWS reads answered by the loopback stand-in (account ${m.account}).`
  );
}

function unitOf(name: string, outdir: string): Unit | undefined {
  if (name === FULL_ARCHITECTURE) {
    try {
      return fullArchitectureUnit();
    } catch {
      return undefined;
    }
  }
  return fs.existsSync(path.join(outdir, 'manifest.json'))
    ? stackUnits(outdir).find((u) => u.name === `stack ${name}`)
    : undefined;
}

/** The saved plan of a configuration if it is of the current bytes, else undefined. */
export function currentPlan(root: string, name: string, outdir: string): SavedPlanFiles | undefined {
  const saved = readSavedPlan(root, name);
  const unit = unitOf(name, outdir);
  return saved && unit && sourceDigest(unit) === saved.meta.source.digest ? saved : undefined;
}

/**
 * Every review, as text: each stack of `outdir` (from its current plan, else its synth), then each
 * other saved plan. Throws when there is nothing to summarize.
 */
export function summaries(root: string, outdir: string): string[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  const stacks = fs.existsSync(manifestFile)
    ? Object.entries(
        (
          JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
            stacks: Record<string, { synthesizedStackPath: string }>;
          }
        ).stacks,
      )
    : [];
  const plans = savedPlanNames(root);
  if (stacks.length === 0 && plans.length === 0)
    throw new Error(
      `no ${manifestFile} and no saved plans; run \`npm run synth\` (and \`npm run plan:offline\`) first`,
    );
  const out: string[] = [];
  for (const [name, stack] of stacks) {
    const saved = currentPlan(root, name, outdir);
    const synthesized = path.join(outdir, stack.synthesizedStackPath);
    const why = plans.includes(name) ? 'the saved plan is of an older synth' : 'no saved plan';
    const review = saved
      ? planReview(`Stack ${name}`, saved.plan, planSource(saved))
      : synthReview(
          name,
          JSON.parse(fs.readFileSync(synthesized, 'utf8')) as Record<string, unknown>,
          `From the synthesized ${path.relative(process.cwd(), synthesized)} (${why}; \`npm run plan:offline ${name}\` plans it).`,
        );
    out.push(renderReview(review));
  }
  for (const name of plans.filter((p) => !stacks.some(([s]) => s === p))) {
    const saved = currentPlan(root, name, outdir);
    out.push(
      saved
        ? renderReview(planReview(name, saved.plan, planSource(saved)))
        : `## ${name}\n\nThe saved plan plans/${name}/ is of an older configuration; \`npm run plan:offline ${name}\` plans it again.\n`,
    );
  }
  return out;
}
