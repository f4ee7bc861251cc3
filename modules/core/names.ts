import { TerraformStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { AwsContext } from './aws-context';
import { invalid, show } from './validation';

/**
 * A default physical name for a construct's resources: the stack name and the construct path
 * below it, lower-case, joined by `-` (`dev` + `network` gives `dev-network`). Distinct per stack,
 * so a `dev` and a `prod` stack can share one account and region.
 */
export function defaultName(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  return [stack.node.id, ...below]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Where a physical name must be unique. */
export type NameScope =
  /** In an account and region: Lambda functions, log groups, queues, alarms. */
  | 'region'
  /** In an account, every region: IAM roles and policies. */
  | 'account'
  /** In a VPC: security groups (the VPC id, a token when the VPC is built in the same stack). */
  | { readonly vpc: string };

/** A physical name a construct creates, as {@link claimName} takes it. */
export interface NameClaim {
  /** The construct's kind, as messages name it: `TracedFunction`. */
  readonly kind: string;
  /** The prop the name comes from: `functionName`. */
  readonly field: string;
  /** What the name names, with its article: `a Lambda function`, `an IAM role`, `a log group`. */
  readonly resource: string;
  /** The physical name claimed. */
  readonly name: string;
  /** Where the name must be unique. @default 'region' */
  readonly within?: NameScope;
}

interface Claimed extends NameClaim {
  readonly path: string;
  readonly account?: string;
  readonly region?: string;
}

/** Every name claimed in an app, by its root construct. */
const claims = new WeakMap<IConstruct, Claimed[]>();

/**
 * Records that `scope` creates a resource named `name`, and refuses a name another construct of the app
 * already creates where both would land: two constructs of one stack, or two stacks in one account and
 * region (an account or region the provider does not pin may be the same one). A synth error names both
 * construct paths, instead of an apply that fails halfway, or one environment adopting the other's
 * resource. Names known only at plan (tokens) are not compared.
 */
export function claimName(scope: IConstruct, claim: NameClaim): void {
  if (typeof claim.name !== 'string' || Token.isUnresolved(claim.name)) return;
  const within = claim.within ?? 'region';
  const other = clash(scope, { ...claim, within });
  if (other) {
    const where = within === 'account' ? 'account' : typeof within === 'object' ? 'VPC' : 'account and region';
    invalid(
      claim.kind,
      scope,
      `${claim.field} must name ${claim.resource} no other construct of the app creates in the same ${where} (${other.kind} "${other.path}" creates it too, from ${other.field}; give each environment its own names, or pin distinct accounts or regions on the providers), got ${show(claim.name)}`,
    );
  }
}

/** A setting an account and region has once (`aws_api_gateway_account`), as {@link claimSetting} takes it. */
export interface SettingClaim {
  /** The construct's kind, as messages name it: `TracedRestApi`. */
  readonly kind: string;
  /** The prop that makes the construct manage it (`manageAccountLogRole`), or `''` when the construct is the setting. */
  readonly field: string;
  /** What the setting is, with its article: `the account's API Gateway CloudWatch role (aws_api_gateway_account)`. */
  readonly setting: string;
  /** What to do instead: `let one account-level stack manage it`. */
  readonly fix: string;
  /** The value the message shows after `got`. */
  readonly got: unknown;
}

/**
 * Records that `scope` manages a setting an account and region has once, and refuses a second manager
 * in the app where both would land (as {@link claimName}: an account or region the provider does not
 * pin may be the same one). Two managers overwrite each other at every apply, and destroying one
 * leaves the other's resources pointing at nothing.
 */
export function claimSetting(scope: IConstruct, claim: SettingClaim): void {
  const other = clash(scope, {
    kind: claim.kind,
    field: claim.field,
    resource: claim.setting,
    name: 'setting',
    within: 'region',
  });
  if (other) {
    const by = `${other.kind} "${other.path}" manages it${other.field ? `, from ${other.field}` : ''}`;
    invalid(
      claim.kind,
      scope,
      `${claim.field ? `${claim.field} ` : ''}must leave ${claim.setting} to the one construct of the app that manages it in an account and region (${by}; ${claim.fix}, or pin distinct accounts or regions on the providers), got ${show(claim.got)}`,
    );
  }
}

/** The claim of the app that `claim` clashes with, if any; records `claim` when there is none. */
function clash(scope: IConstruct, claim: NameClaim & { readonly within: NameScope }): Claimed | undefined {
  const within = claim.within;
  const root = scope.node.root;
  const list = claims.get(root) ?? [];
  claims.set(root, list);
  const mine: Claimed = {
    ...claim,
    within,
    path: scope.node.path,
    account: AwsContext.providerAccount(scope),
    region: AwsContext.providerRegion(scope),
  };
  const same = (a?: string, b?: string) => a === undefined || b === undefined || a === b;
  const other = list.find(
    (c) =>
      c.resource === mine.resource &&
      c.name === mine.name &&
      c.path !== mine.path &&
      same(c.account, mine.account) &&
      (within === 'account' ||
        (within === 'region'
          ? c.within === 'region' && same(c.region, mine.region)
          : typeof c.within === 'object' && c.within.vpc === within.vpc)),
  );
  if (!other) list.push(mine);
  return other;
}
