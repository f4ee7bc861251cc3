import { TerraformElement, TerraformStack } from 'cdktf';
import type { Node } from 'constructs';

/**
 * Turns a construct path below the stack into a Terraform logical id: the ids joined by `_`,
 * with characters Terraform does not allow replaced. `network/private-subnet-0` becomes
 * `network_private-subnet-0`. Unlike cdktf's default, no hash suffix: reviewers read these in
 * every plan, and they never change while the construct tree does not.
 */
export function readableLogicalId(components: readonly string[]): string {
  const id = components
    .filter((c) => c !== 'Default' && c !== 'Resource')
    .map((c) => c.replace(/[^A-Za-z0-9_-]/g, '_'))
    .join('_');
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

/**
 * A TerraformStack whose logical ids are the readable construct paths ({@link readableLogicalId}).
 * Two paths that would map to the same id are an error at synth, never a silent merge.
 */
export class ReadableStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const stackIndex = node.scopes.indexOf(this);
    const components = node.scopes.slice(stackIndex + 1).map((c) => c.node.id);
    if (components.length === 0) return '';
    const id = readableLogicalId(components);
    const path = components.join('/');
    const previous = this.allocated.get(id);
    if (previous !== undefined && previous !== path) {
      throw new Error(
        `Stack "${this.node.id}": constructs "${previous}" and "${path}" both map to the Terraform id "${id}"; rename one of them`,
      );
    }
    this.allocated.set(id, path);
    return id;
  }
}
