import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { MODULES, PROVIDER_CONSTRAINT } from '../terraform-modules';

const root = path.resolve(__dirname, '..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every `${...}` template string in a JSON document. */
function templates(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.includes('${')) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => templates(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => templates(v, out));
  return out;
}

describe('npm run build:modules', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'modules-'));
  const built: Record<string, { json: Json; readme: string; example: string }> = {};

  beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'terraform-modules', 'build.ts'), out], {
      cwd: root,
      encoding: 'utf8',
      // tsx keeps a compile cache in the temp folder: nothing may stay behind after the tests.
      env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    });
    for (const spec of MODULES) {
      const dir = path.join(out, spec.name);
      built[spec.name] = {
        json: JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8')),
        readme: fs.readFileSync(path.join(dir, 'README.md'), 'utf8'),
        example: fs.readFileSync(path.join(dir, 'examples', 'basic', 'main.tf'), 'utf8'),
      };
    }
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes the published modules', () => {
    expect(fs.readdirSync(out).sort()).toEqual([
      'adot-collector',
      'ecs-ec2-cluster',
      'network',
      'traced-function',
      'traced-queue',
      'traced-rest-api',
      'xray-sampling-rules',
    ]);
  });

  describe.each(MODULES.map((m) => [m.name]))('%s', (name) => {
    const m = () => built[name];

    it('has no provider or backend, and requires the AWS provider by range', () => {
      const { json } = m();
      expect(json.provider).toBeUndefined();
      expect(json.terraform).toEqual({
        required_version: '>= 1.9',
        required_providers: { aws: { source: 'hashicorp/aws', version: PROVIDER_CONSTRAINT } },
      });
      expect(JSON.stringify(json)).not.toContain('"//"');
    });

    it('declares typed, described variables and described outputs', () => {
      const { json } = m();
      for (const [variable, v] of Object.entries(json.variable as Json)) {
        expect({
          variable,
          typed: typeof v.type === 'string',
          described: typeof v.description === 'string' && v.description.length > 10,
        }).toEqual({ variable, typed: true, described: true });
        for (const check of v.validation ?? []) expect(check.condition).toMatch(/^\$\{[\s\S]*\}$/);
      }
      for (const [output, o] of Object.entries(json.output as Json))
        expect({ output, described: typeof o.description === 'string' }).toEqual({ output, described: true });
    });

    it("holds only Terraform expressions that HashiCorp's HCL parser accepts", async () => {
      const exprs = templates(m().json);
      expect(exprs.length).toBeGreaterThan(0);
      // Each JSON string is a template, exactly what a heredoc holds.
      const hcl = `locals {\n${exprs.map((e, i) => `  e${i} = <<-TEMPLATE\n${e}\n  TEMPLATE`).join('\n')}\n}\n`;
      await expect(parse('exprs.tf', hcl)).resolves.toBeDefined();
    });

    it('documents every input and output in its README', () => {
      const { json, readme } = m();
      for (const variable of Object.keys(json.variable))
        expect(readme).toMatch(new RegExp(`^\\| ${variable} \\|`, 'm'));
      for (const output of Object.keys(json.output)) expect(readme).toMatch(new RegExp(`^\\| ${output} \\|`, 'm'));
    });

    it('has an HCL example that parses, sets only declared variables and every required one', async () => {
      const { json, example } = m();
      const parsed = (await parse('main.tf', example)) as Json;
      const [block] = Object.values(parsed.module as Json) as Json[][];
      const args = Object.keys(block[0]).filter((k) => k !== 'source');
      const declared = Object.keys(json.variable);
      const required = Object.entries(json.variable as Json)
        .filter(([, v]) => !('default' in v))
        .map(([k]) => k);
      expect(args.filter((a) => !declared.includes(a))).toEqual([]);
      expect(required.filter((r) => !args.includes(r))).toEqual([]);
      expect(block[0].source).toBe('../..');
      // Whatever the example reads from var. it declares.
      for (const [, name] of example.matchAll(/var\.([a-z_]+)/g))
        expect(Object.keys(parsed.variable ?? {})).toContain(name);
      for (const [output, o] of Object.entries(parsed.output as Json)) {
        expect(Object.keys(json.output)).toContain(output);
        expect((o as Json[])[0].value).toContain(`.${output}}`);
      }
    });
  });

  it('composes every module in the full-architecture HCL example, with declared and required variables only', async () => {
    const file = path.join(root, 'examples', 'terraform-full-architecture', 'main.tf');
    const parsed = (await parse('main.tf', fs.readFileSync(file, 'utf8'))) as Json;
    const used = new Set<string>();
    for (const [name, blocks] of Object.entries(parsed.module as Json)) {
      const block = (blocks as Json[])[0];
      const module = path.basename(block.source as string);
      used.add(module);
      const variables = built[module].json.variable as Json;
      const args = Object.keys(block).filter((k) => !['source', 'depends_on'].includes(k));
      expect({ name, undeclared: args.filter((a) => !(a in variables)) }).toEqual({ name, undeclared: [] });
      const required = Object.entries(variables)
        .filter(([, v]) => !('default' in v))
        .map(([k]) => k);
      expect({ name, missing: required.filter((r) => !args.includes(r)) }).toEqual({ name, missing: [] });
      expect(block.source).toBe(`../../dist/terraform-modules/${module}`);
    }
    expect([...used].sort()).toEqual(MODULES.map((m) => m.name).sort());
    // Every module.<name>.<output> the example reads is an output of that module.
    const folderOf = Object.fromEntries(
      Object.entries(parsed.module as Json).map(([name, blocks]) => [
        name,
        path.basename((blocks as Json[])[0].source),
      ]),
    );
    const reads = [...fs.readFileSync(file, 'utf8').matchAll(/module\.([a-z_]+)\.([a-z_]+)/g)];
    expect(reads.length).toBeGreaterThan(10);
    for (const [, name, output] of reads)
      expect({ read: `${name}.${output}`, exists: output in built[folderOf[name]].json.output }).toEqual({
        read: `${name}.${output}`,
        exists: true,
      });
  });

  it('turns the construct checks into validation blocks', () => {
    const queue = built['traced-queue'].json.variable;
    expect(queue.visibility_timeout_seconds.validation.map((v: Json) => v.condition)).toContain(
      '${var.consumer_function_arn == null || var.visibility_timeout_seconds >= 6 * var.consumer_timeout_seconds + var.max_batching_window_seconds}',
    );
    const rules = built['xray-sampling-rules'].json.variable.rules.validation.map((v: Json) => v.error_message);
    expect(rules).toEqual(
      expect.arrayContaining([
        'rules[*].priority must be unique.',
        'rules[*].fixed_rate must be 0..1.',
        'rules[*].url_path must be 1..128 characters long.',
      ]),
    );
    const cluster = built['ecs-ec2-cluster'].json.variable;
    expect(cluster.instance_type.validation[0].condition).toContain('"t2.medium"');
    expect(cluster.desired_capacity.validation[1].condition).toBe(
      '${var.min_size <= var.desired_capacity && var.desired_capacity <= var.max_size}',
    );
  });

  it('builds the same resources from variables as the constructs do from values', () => {
    const queue = built['traced-queue'].json.resource;
    expect(queue.aws_sqs_queue.queue_queue).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: '${(var.retention_days * 86400)}',
    });
    expect(queue.aws_lambda_event_source_mapping.consumer).toMatchObject({
      count: '${(var.consumer_role_name == null) ? 0 : 1}',
      function_response_types: ['ReportBatchItemFailures'],
    });
    const cluster = built['ecs-ec2-cluster'].json.resource;
    expect(cluster.aws_launch_template['ecs_launch-template'].metadata_options.http_tokens).toBe('required');
    expect(cluster.aws_ecs_cluster.ecs_cluster.setting[0].value).toBe(
      '${var.container_insights ? "enabled" : "disabled"}',
    );
    const network = built.network.json.resource;
    expect(network.aws_subnet.public).toMatchObject({
      count: '${var.az_count}',
      cidr_block: '${cidrsubnet(var.cidr_block, 4, count.index)}',
      map_public_ip_on_launch: false,
    });
    expect(network.aws_subnet.private.cidr_block).toBe('${cidrsubnet(var.cidr_block, 4, 8 + count.index)}');
    expect(network.aws_route['private-default-route'].nat_gateway_id).toBe(
      '${aws_nat_gateway.nat[min(count.index, local.nat_count - 1)].id}',
    );
    expect(built.network.json.locals.nat_count).toBe(
      '${var.nat_gateways == "none" ? 0 : (var.nat_gateways == "single" ? 1 : var.az_count)}',
    );
    expect(network.aws_flow_log['flow-log'].traffic_type).toBe('ALL');
    const adot = built['adot-collector'].json.resource;
    expect(adot.aws_ecs_service.adot_service).toMatchObject({
      scheduling_strategy: 'DAEMON',
      launch_type: 'EC2',
      cluster: '${var.cluster_arn}',
    });
    expect(adot.aws_ecs_task_definition.adot_task).toMatchObject({
      cpu: '${var.cpu}',
      memory: '${var.memory}',
      network_mode: 'bridge',
    });
    expect(adot.aws_ssm_parameter.adot_config.value).toBe('${coalesce(var.config, local.default_config)}');
    expect(built['adot-collector'].json.variable.memory.validation[1].condition).toContain('"t2.medium" = 3676');
    const fn = built['traced-function'].json;
    expect(fn.resource.aws_lambda_function.function).toMatchObject({
      filename: '${var.zip_path}',
      source_code_hash: '${filebase64sha256(var.zip_path)}',
      tracing_config: { mode: 'Active' },
      layers: '${local.layer_arn == null ? [] : [local.layer_arn]}',
    });
    // The layer table is the construct's: us-west-2's Application Signals layer, and no invented ARN elsewhere.
    expect(fn.locals.layer_ref).toContain('"us-west-2" = "615299751070:layer:AWSOpenTelemetryDistroJs:15"');
    expect(fn.resource.aws_lambda_function.function.lifecycle.precondition[0].condition).toBe(
      '${var.adot == "none" || local.layer_arn != null}',
    );
    const api = built['traced-rest-api'].json;
    expect(api.resource.aws_api_gateway_stage.stage.xray_tracing_enabled).toBe(true);
    expect(api.resource.aws_api_gateway_resource.level2.parent_id).toBe(
      '${aws_api_gateway_resource.level1[join("/", slice(split("/", each.key), 0, length(split("/", each.key)) - 1))].id}',
    );
    expect(api.resource.aws_lambda_permission.permission.source_arn).toContain(
      '/*/${each.value.method == "ANY" ? "*" : each.value.method}',
    );
    expect(api.resource.aws_api_gateway_deployment.deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(api.output.api_key_value.sensitive).toBe(true);
    const rules = built['xray-sampling-rules'].json.resource.aws_xray_sampling_rule.rule;
    expect(rules).toMatchObject({
      for_each: '${{ for r in var.rules : r.name => r }}',
      version: 1,
      rule_name: '${each.value.name}',
    });
  });
});
