import { isPinnedImage } from '../../core/images';
import { isEncodedJson, readEncodedJson } from '../hcl-value';
import { Verdict, problem, type CheckResult, type PolicyRule } from '../types';
import { NotChecked, blocks, bool, isExpression, obj, str, strings, whyUnknown, type Json } from '../values';
import type { ResourceView, StackView } from '../view';

/** The container definitions of a task definition, read back from JSON or jsonencode(); NotChecked if unreadable. */
export function containersOf(r: ResourceView, s: StackView): Json[] {
  const raw = s.value(r, 'container_definitions');
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return blocks(raw, 'container_definitions');
  if (isExpression(raw) && !isEncodedJson(raw)) {
    throw new NotChecked('container_definitions', whyUnknown(raw));
  }
  const parsed = readEncodedJson(raw);
  if (!Array.isArray(parsed)) throw new NotChecked('container_definitions', 'could not be read as a JSON list');
  return blocks(parsed, 'container_definitions');
}

/** Runs `judge` on every container; a container that cannot be judged is "not checked" unless another fails. */
function eachContainer(
  r: ResourceView,
  s: StackView,
  judge: (c: Json, at: string, verdict: Verdict) => void,
): CheckResult {
  const verdict = new Verdict();
  verdict.try(() =>
    containersOf(r, s).forEach((c, i) => {
      const name = typeof c.name === 'string' ? c.name : String(i);
      verdict.try(() => judge(c, `container_definitions[${name}]`, verdict));
    }),
  );
  return verdict.result();
}

/** Linux capabilities that amount to root on the host, or close to it. */
export const DANGEROUS_CAPABILITIES = [
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'NET_ADMIN',
  'DAC_READ_SEARCH',
  'BPF',
];

const yes = (v: unknown, field: string) => bool(v, field) === true;

export const computeRules: PolicyRule[] = [
  {
    id: 'TS-EC2-1',
    severity: 'error',
    title: 'Instances and launch templates require IMDSv2',
    fix: 'Set metadata_options { http_tokens = "required" }.',
    appliesTo: ['aws_launch_template', 'aws_instance'],
    refs: { checkov: 'CKV_AWS_79', cdkNag: 'AwsSolutions-EC29 (related)', securityHub: 'EC2.8 / EC2.170' },
    blindSpots: 'An account-level IMDS default set outside Terraform.',
    check: (r, s) =>
      str(s.value(r, 'metadata_options.http_tokens'), 'metadata_options.http_tokens') === 'required'
        ? undefined
        : problem('metadata_options.http_tokens', 'is not "required"'),
  },
  {
    id: 'TS-EC2-2',
    severity: 'error',
    title: 'Launch template volumes are encrypted',
    fix: 'Set ebs { encrypted = true } on every block device mapping.',
    appliesTo: ['aws_launch_template'],
    refs: { checkov: 'CKV_AWS_8', cdkNag: 'AwsSolutions-EC26', securityHub: 'EC2.7 (related)' },
    blindSpots: 'Account-level EBS encryption by default (EC2.7) set outside Terraform.',
    check: (r, s) => {
      const mappings = blocks(s.value(r, 'block_device_mappings'), 'block_device_mappings');
      if (mappings.length === 0) {
        return problem(
          'block_device_mappings',
          'none: the root volume takes the AMI snapshot encryption, which may be none',
        );
      }
      const verdict = new Verdict();
      mappings.forEach((m, i) =>
        verdict.try(() => {
          const field = `block_device_mappings[${i}].ebs.encrypted`;
          if (!yes(obj(m.ebs, field).encrypted, field))
            verdict.add(field, `${str(m.device_name, field) ?? i} is not encrypted`);
        }),
      );
      return verdict.result();
    },
  },
  {
    id: 'TS-EC2-3',
    severity: 'error',
    title: 'Instances and launch templates get no public IP',
    fix: 'Set associate_public_ip_address = false (and map_public_ip_on_launch = false on the subnet); reach instances with Session Manager.',
    appliesTo: ['aws_launch_template', 'aws_instance', 'aws_launch_configuration'],
    refs: { checkov: 'CKV_AWS_88', securityHub: 'EC2.9 / AutoScaling.5' },
    blindSpots: 'Elastic IPs associated later; a subnet outside this configuration that maps public IPs.',
    check: (r, s) => {
      if (r.type === 'aws_launch_template') {
        const verdict = new Verdict();
        blocks(s.value(r, 'network_interfaces'), 'network_interfaces').forEach((n, i) =>
          verdict.try(() => {
            const field = `network_interfaces[${i}].associate_public_ip_address`;
            if (yes(n.associate_public_ip_address, field)) verdict.add(field, 'is true');
          }),
        );
        return verdict.result();
      }
      const field = 'associate_public_ip_address';
      const explicit = bool(s.value(r, field), field);
      if (explicit === true) return problem(field, 'is true: the instance is reachable from the internet');
      if (explicit === false || r.type === 'aws_launch_configuration') return undefined;
      const subnet = s.referenced(s.value(r, 'subnet_id'));
      if (
        subnet?.type === 'aws_subnet' &&
        yes(s.value(subnet, 'map_public_ip_on_launch'), `${subnet.address}.map_public_ip_on_launch`)
      ) {
        return problem(
          'subnet_id',
          `${subnet.address} maps public IPs on launch and associate_public_ip_address is not false`,
        );
      }
      return undefined;
    },
  },
  {
    id: 'TS-ECS-1',
    severity: 'warning',
    title: 'ECS clusters have Container Insights',
    fix: 'Set setting { name = "containerInsights", value = "enabled" }.',
    appliesTo: ['aws_ecs_cluster'],
    refs: { checkov: 'CKV_AWS_65', cdkNag: 'AwsSolutions-ECS4', securityHub: 'ECS.12' },
    blindSpots: 'The account default for Container Insights.',
    check: (r, s) => {
      const settings = blocks(s.value(r, 'setting'), 'setting');
      return settings.some(
        (x) => x.name === 'containerInsights' && ['enabled', 'enhanced'].includes(String(s.resolve(x.value))),
      )
        ? undefined
        : problem('setting', 'containerInsights is not enabled');
    },
  },
  {
    id: 'TS-ECS-2',
    severity: 'error',
    title: 'ECS containers are not privileged',
    fix: 'Remove privileged = true; grant the specific Linux capabilities the container needs instead.',
    appliesTo: ['aws_ecs_task_definition'],
    refs: { checkov: 'CKV_AWS_97 (related)', securityHub: 'ECS.4' },
    blindSpots: 'Container definitions given by a variable without a default or a file().',
    check: (r, s) =>
      eachContainer(r, s, (c, at, verdict) => {
        if (yes(s.resolve(c.privileged), `${at}.privileged`)) verdict.add(`${at}.privileged`, 'is true');
      }),
  },
  {
    id: 'TS-ECS-3',
    severity: 'error',
    title: 'ECS containers send their logs somewhere',
    fix: 'Give every container a logConfiguration (awslogs to a log group with retention).',
    appliesTo: ['aws_ecs_task_definition'],
    refs: { cdkNag: 'AwsSolutions-ECS7', securityHub: 'ECS.9' },
    blindSpots: 'Whether the log group exists and has retention (TS-LOGS-1 checks the ones defined here).',
    check: (r, s) =>
      eachContainer(r, s, (c, at, verdict) => {
        if (!c.logConfiguration) verdict.add(`${at}.logConfiguration`, 'is not set');
      }),
  },
  {
    id: 'TS-ECS-4',
    severity: 'error',
    title: 'ECS container images are pinned',
    fix: 'Reference images by a release tag or a digest, never untagged or :latest.',
    appliesTo: ['aws_ecs_task_definition'],
    refs: {},
    blindSpots: 'Whether a tag is immutable in its repository (ECR tag immutability).',
    check: (r, s) =>
      eachContainer(r, s, (c, at, verdict) => {
        const image = str(s.resolve(c.image), `${at}.image`);
        if (image !== undefined && !isPinnedImage(image)) verdict.add(`${at}.image`, `${image} is not pinned`);
      }),
  },
  {
    id: 'TS-ECS-5',
    severity: 'error',
    title: 'ECS containers add no dangerous Linux capabilities',
    fix: `Drop ${DANGEROUS_CAPABILITIES.join(', ')} from linuxParameters.capabilities.add; grant a narrow capability (e.g. NET_BIND_SERVICE) if one is needed.`,
    appliesTo: ['aws_ecs_task_definition'],
    refs: { checkov: 'CKV_AWS_97 (related)', securityHub: 'ECS.4 (related)' },
    blindSpots: 'Capabilities granted through a privileged container (TS-ECS-2) or by the runtime defaults.',
    check: (r, s) =>
      eachContainer(r, s, (c, at, verdict) => {
        const field = `${at}.linuxParameters.capabilities.add`;
        const parameters = obj(s.resolve(c.linuxParameters), field);
        const added = strings(s.resolve(obj(s.resolve(parameters.capabilities), field).add), field);
        const bad = added.filter((a) => DANGEROUS_CAPABILITIES.includes(a.toUpperCase().replace(/^CAP_/, '')));
        if (bad.length > 0) verdict.add(field, `adds ${bad.join(', ')}`);
      }),
  },
  {
    id: 'TS-ECS-6',
    severity: 'error',
    title: "ECS tasks do not share the host's process or IPC namespace",
    fix: 'Remove pid_mode = "host" and ipc_mode = "host" (use "task" if containers of the task must share).',
    appliesTo: ['aws_ecs_task_definition'],
    refs: { checkov: 'CKV_AWS_335 (related)', securityHub: 'ECS.3' },
    blindSpots: 'Host access through bind mounts of host paths.',
    check: (r, s) => {
      const verdict = new Verdict();
      const shared = {
        pid_mode: "the containers see and signal the host's processes",
        ipc_mode: "the containers share the host's IPC (shared memory)",
      };
      for (const [field, what] of Object.entries(shared)) {
        verdict.try(() => {
          if (str(s.value(r, field), field) === 'host') verdict.add(field, `is "host": ${what}`);
        });
      }
      return verdict.result();
    },
  },
  {
    id: 'TS-ECS-7',
    severity: 'error',
    title: 'ECS containers do not create their own log groups',
    fix: 'Remove awslogs-create-group and define the log group in Terraform with retention_in_days (AdotCollector does).',
    appliesTo: ['aws_ecs_task_definition'],
    refs: {},
    blindSpots: 'Log drivers other than awslogs.',
    check: (r, s) =>
      eachContainer(r, s, (c, at, verdict) => {
        const field = `${at}.logConfiguration.options.awslogs-create-group`;
        const options = obj(s.resolve(obj(s.resolve(c.logConfiguration), field).options), field);
        if (yes(s.resolve(options['awslogs-create-group']), field)) {
          verdict.add(field, 'is "true": the group is created without retention and outside Terraform');
        }
      }),
  },
];
