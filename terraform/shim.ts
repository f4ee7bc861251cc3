/**
 * The provider shim: lets configuration written for AWS provider 6.x validate and plan with an older
 * 5.x provider (the mirror this machine kind ships), in a scratch copy only. It is the whole list of
 * differences measured on our stacks and modules, and nothing else:
 *
 * 1. `required_providers.aws.version` becomes the mirror's version (the configs ask for >= 6.25);
 * 2. `data.aws_region.<name>.region` (6.x) is read as `data.aws_region.<name>.name` (5.x; same value).
 *
 * It runs only when the mirror's provider does not satisfy the configuration's constraint; the
 * `region` rewrite only when the mirror is older than 6.0. On a GitHub runner terraform downloads the
 * real 6.x provider and nothing here runs. Pure: text in, text and a list of changes out.
 */

/** A version as [major, minor, patch]. */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${JSON.stringify(text)}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether `version` meets a Terraform version constraint (`6.25.0`, `= 6.25.0`, `>= 6.25, < 7.0`,
 * `~> 6.25`, `!= 6.1.0`, joined by commas).
 */
export function satisfies(version: string, constraint: string): boolean {
  const v = parseVersion(version);
  return constraint
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .every((part) => {
      const match = /^(>=|<=|!=|~>|>|<|=)?\s*(\S+)$/.exec(part);
      if (!match) throw new Error(`not a version constraint: ${JSON.stringify(constraint)}`);
      const [, op = '=', text] = match;
      const c = compare(v, parseVersion(text));
      switch (op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        default: {
          // ~> 6.25 allows 6.x >= 6.25; ~> 6.25.1 allows 6.25.x >= 6.25.1
          const bound = parseVersion(text);
          const parts = text.split('.').length;
          return c >= 0 && (parts >= 3 ? v[0] === bound[0] && v[1] === bound[1] : v[0] === bound[0]);
        }
      }
    });
}

export interface ShimChange {
  /** The file, relative to the folder the shim ran on. */
  readonly file: string;
  /** What changed, e.g. `aws version ">= 6.25, < 7.0" -> "5.100.0"`. */
  readonly change: string;
}

export interface ShimResult {
  readonly text: string;
  readonly changes: ShimChange[];
}

const REGION_READ = /\bdata\.aws_region\.([A-Za-z_][\w-]*)\.region\b/g;

function regionRewrite(text: string, file: string, changes: ShimChange[]): string {
  let count = 0;
  const out = text.replace(REGION_READ, (_, name: string) => {
    count++;
    return `data.aws_region.${name}.name`;
  });
  if (count > 0) changes.push({ file, change: `data.aws_region.*.region -> .name (${count}x)` });
  return out;
}

// `aws = { source = "hashicorp/aws", version = ">= 6.25, < 7.0" }`, on one line or several.
const HCL_AWS_VERSION = /(\baws\s*=\s*\{[^}]*?\bversion\s*=\s*)"([^"]*)"/;
const HCL_AWS_BLOCK = /\baws\s*=\s*\{([^}]*)\}/;

type TfJson = { terraform?: { required_providers?: Record<string, { version?: string }> } };

/** The aws provider version constraint a `.tf` or `.tf.json` file declares, if any. */
export function awsConstraint(file: string, text: string): string | undefined {
  if (file.endsWith('.tf.json')) return (JSON.parse(text) as TfJson).terraform?.required_providers?.aws?.version;
  const block = HCL_AWS_BLOCK.exec(text);
  if (block) return /\bversion\s*=\s*"([^"]*)"/.exec(block[1])?.[1];
  if (/\brequired_providers\b[\s\S]*\baws\s*=/.test(text))
    throw new Error(`provider shim: ${file} requires the aws provider in a form the shim does not read`);
  return undefined;
}

/** Whether a configuration with these aws constraints needs the shim to run on the mirror's provider. */
export function shimNeeded(mirrorVersion: string, constraints: readonly string[]): boolean {
  return constraints.some((c) => !satisfies(mirrorVersion, c));
}

/**
 * The shim of one `.tf` or `.tf.json` file of a configuration that needs it: its aws constraint
 * becomes the mirror's version, and, for a 5.x mirror, `data.aws_region.*.region` reads `.name`.
 */
export function shimFile(file: string, text: string, mirrorVersion: string): ShimResult {
  const changes: ShimChange[] = [];
  let out = text;
  const constraint = awsConstraint(file, text);
  if (constraint !== undefined && !satisfies(mirrorVersion, constraint)) {
    changes.push({ file, change: `aws version ${JSON.stringify(constraint)} -> ${JSON.stringify(mirrorVersion)}` });
    if (file.endsWith('.tf.json')) {
      const json = JSON.parse(text) as TfJson;
      (json.terraform?.required_providers?.aws as { version: string }).version = mirrorVersion;
      out = `${JSON.stringify(json, null, 2)}\n`;
    } else {
      out = text.replace(HCL_AWS_VERSION, `$1"${mirrorVersion}"`);
    }
  }
  if (parseVersion(mirrorVersion)[0] < 6) out = regionRewrite(out, file, changes);
  return { text: out, changes };
}
