import * as path from 'node:path';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import { PROJECT, type EnvironmentConfig } from './config';

/**
 * Configures the stack's backend explicitly (cdktf's implicit local backend writes an absolute
 * state path into cdk.tf.json, which breaks reproducible synth):
 * - HCP Terraform when `tfcOrganization`/`tfcWorkspace` are set;
 * - S3 with a lock file (no DynamoDB table needed) when `stateBucket` is set, encrypted (SSE-KMS with
 *   `stateKmsKeyArn`, else SSE-S3);
 * - otherwise local state at `terraform.<env>.tfstate` in the project root, by a relative path.
 */
export function configureBackend(
  stack: TerraformStack,
  config: EnvironmentConfig,
  outdir: string,
  projectRoot: string,
): string {
  if (config.tfcOrganization !== undefined && config.tfcWorkspace !== undefined) {
    new CloudBackend(stack, {
      organization: config.tfcOrganization,
      workspaces: new NamedCloudWorkspace(config.tfcWorkspace),
      hostname: config.tfcHostname,
    });
    return 'cloud';
  }
  if (config.stateBucket !== undefined) {
    const backend = new S3Backend(stack, {
      bucket: config.stateBucket,
      key: `${PROJECT}/${config.name}/terraform.tfstate`,
      region: config.stateRegion ?? config.region,
      // State holds every secret the stack creates (the API key, in plain text): always encrypted at
      // rest, with the given KMS key (SSE-KMS) or S3-managed keys (SSE-S3).
      encrypt: true,
      kmsKeyId: config.stateKmsKeyArn,
    });
    // Native S3 locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no field for it yet.
    backend.addOverride('use_lockfile', true);
    return 's3';
  }
  // Terraform runs in <outdir>/stacks/<name>; the state lives in the project root, by a relative
  // path, so two checkouts at different paths synthesize the same bytes.
  const stackDir = path.resolve(projectRoot, outdir, 'stacks', config.name);
  const statePath = path.relative(stackDir, path.join(projectRoot, `terraform.${config.name}.tfstate`));
  new LocalBackend(stack, { path: statePath.split(path.sep).join('/') });
  return 'local';
}
