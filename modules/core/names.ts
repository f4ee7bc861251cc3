import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

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
