import { isPinnedImage } from '../../core/images';
import type { PolicyRule } from '../types';
import type { ResourceView } from '../view';
import { parseJsonencode } from '../view';

type Json = Record<string, unknown>;

/** The container definitions of a task definition, read back from JSON or jsonencode(). */
export function containersOf(r: ResourceView): Json[] | undefined {
  const parsed = parseJsonencode(r.attrs.container_definitions);
  return Array.isArray(parsed) ? (parsed as Json[]) : undefined;
}

const eachContainer = (r: ResourceView, problem: (c: Json) => string | undefined): string | undefined => {
  const containers = containersOf(r);
  if (!containers) return 'container_definitions could not be read';
  const problems = containers.map((c) => problem(c)).filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
};

export const computeRules: PolicyRule[] = [
  {
    id: 'TS-EC2-1',
    severity: 'error',
    title: 'Launch templates require IMDSv2',
    fix: 'Set metadata_options { http_tokens = "required" }.',
    appliesTo: ['aws_launch_template', 'aws_instance'],
    refs: { checkov: 'CKV_AWS_79', securityHub: 'EC2.8 / EC2.170' },
    check: (r) =>
      (r.attrs.metadata_options as Json | undefined)?.http_tokens === 'required'
        ? undefined
        : 'metadata_options.http_tokens is not "required"',
  },
  {
    id: 'TS-EC2-2',
    severity: 'error',
    title: 'Launch template volumes are encrypted',
    fix: 'Set ebs { encrypted = true } on every block device mapping.',
    appliesTo: ['aws_launch_template'],
    refs: { checkov: 'CKV_AWS_8', cdkNag: 'AwsSolutions-EC26', securityHub: 'EC2.7 (related)' },
    check: (r) => {
      const mappings = (r.attrs.block_device_mappings as Json[] | undefined) ?? [];
      if (mappings.length === 0)
        return 'no block_device_mappings: the root volume takes the AMI snapshot encryption, which may be none';
      const bad = mappings
        .filter((m) => !['true', true].includes((m.ebs as Json | undefined)?.encrypted as string))
        .map((m) => m.device_name);
      return bad.length > 0 ? `unencrypted volumes: ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'TS-EC2-3',
    severity: 'error',
    title: 'Launch templates do not assign public IPs',
    fix: 'Set associate_public_ip_address = false on network interfaces; reach instances with Session Manager.',
    appliesTo: ['aws_launch_template'],
    refs: { checkov: 'CKV_AWS_88', securityHub: 'EC2.9 / AutoScaling.5' },
    check: (r) => {
      const interfaces = (r.attrs.network_interfaces as Json[] | undefined) ?? [];
      return interfaces.some((n) => ['true', true].includes(n.associate_public_ip_address as string))
        ? 'a network interface associates a public IP'
        : undefined;
    },
  },
  {
    id: 'TS-ECS-1',
    severity: 'warning',
    title: 'ECS clusters have Container Insights',
    fix: 'Set setting { name = "containerInsights", value = "enabled" }.',
    appliesTo: ['aws_ecs_cluster'],
    refs: { checkov: 'CKV_AWS_65', cdkNag: 'AwsSolutions-ECS4', securityHub: 'ECS.12' },
    check: (r) => {
      const settings = (r.attrs.setting as Json[] | undefined) ?? [];
      return settings.some((s) => s.name === 'containerInsights' && ['enabled', 'enhanced'].includes(String(s.value)))
        ? undefined
        : 'containerInsights is not enabled';
    },
  },
  {
    id: 'TS-ECS-2',
    severity: 'error',
    title: 'ECS containers are not privileged',
    fix: 'Remove privileged = true; grant the specific Linux capabilities the container needs instead.',
    appliesTo: ['aws_ecs_task_definition'],
    refs: { securityHub: 'ECS.4' },
    check: (r) => eachContainer(r, (c) => (c.privileged === true ? `container ${c.name} is privileged` : undefined)),
  },
  {
    id: 'TS-ECS-3',
    severity: 'error',
    title: 'ECS containers send their logs somewhere',
    fix: 'Give every container a logConfiguration (awslogs to a log group with retention).',
    appliesTo: ['aws_ecs_task_definition'],
    refs: { cdkNag: 'AwsSolutions-ECS7', securityHub: 'ECS.9' },
    check: (r) =>
      eachContainer(r, (c) => (c.logConfiguration ? undefined : `container ${c.name} has no logConfiguration`)),
  },
  {
    id: 'TS-ECS-4',
    severity: 'error',
    title: 'ECS container images are pinned',
    fix: 'Reference images by a release tag or a digest, never untagged or :latest.',
    appliesTo: ['aws_ecs_task_definition'],
    refs: {},
    check: (r) =>
      eachContainer(r, (c) =>
        typeof c.image === 'string' && !c.image.startsWith('${') && !isPinnedImage(c.image)
          ? `container ${c.name} image ${c.image} is not pinned`
          : undefined,
      ),
  },
];
