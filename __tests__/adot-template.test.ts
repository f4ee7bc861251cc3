import * as fs from 'node:fs';
import fc from 'fast-check';
import { DEFAULT_ADOT_TEMPLATE, renderAdotTaskTemplate, type AdotTemplateValues } from '../modules';
import { UPSTREAM_ADOT, UPSTREAM_ADOT_FILE as upstreamFile, sha256 } from '../scripts/upstream';

const haveUpstream = fs.existsSync(upstreamFile);
if (!haveUpstream) {
  console.warn(
    `Skipping the upstream-template fidelity tests: ${upstreamFile} is absent (it is test data kept beside the repository, not in it; \`npm run upstream:fetch\` downloads it at its pinned commit).`,
  );
}
const describeUpstream = haveUpstream ? describe : describe.skip;

const values: AdotTemplateValues = {
  region: 'us-west-2',
  taskRoleArn: 'arn:aws:iam::111122223333:role/AWSOTTaskRole',
  executionRoleArn: 'arn:aws:iam::111122223333:role/TaskExecutionRole',
  command: ['--config=/etc/ecs/ecs-default-config.yaml'],
};

describeUpstream('renderAdotTaskTemplate on the upstream ecs-ec2-sidecar.json', () => {
  const text = haveUpstream ? fs.readFileSync(upstreamFile, 'utf8') : '';

  it('reads the byte-exact upstream file', () => {
    expect(sha256(fs.readFileSync(upstreamFile))).toBe(UPSTREAM_ADOT.sha256);
    expect(() => JSON.parse(text)).toThrow(); // {{command}} stands unquoted: not JSON before rendering
  });

  it('fills every placeholder and preserves every other field exactly', () => {
    const rendered = renderAdotTaskTemplate(text, values);
    // An independent reference: the same file with each placeholder replaced by hand.
    const reference = JSON.parse(
      text
        .replace('{{command}}', JSON.stringify(values.command[0]))
        .replaceAll('{{region}}', values.region)
        .replaceAll('{{ecsTaskRoleArn}}', values.taskRoleArn)
        .replaceAll('{{ecsTaskExecutionRoleArn}}', values.executionRoleArn),
    );
    expect(rendered).toEqual(reference);
    expect(JSON.stringify(rendered)).not.toContain('{{');
  });

  it('keeps the fields the tutorial relies on, field by field', () => {
    const r = renderAdotTaskTemplate(text, values);
    expect(r.family).toBe('aws-otel-EC2');
    expect(r.taskRoleArn).toBe(values.taskRoleArn);
    expect(r.executionRoleArn).toBe(values.executionRoleArn);
    expect(r.networkMode).toBe('bridge');
    expect(r.requiresCompatibilities).toEqual(['EC2']);
    expect([r.cpu, r.memory]).toEqual(['1024', '2048']);
    expect(r.containerDefinitions.map((c) => c.name)).toEqual([
      'aws-otel-collector',
      'aws-otel-emitter',
      'traffic-generator-xray',
      'nginx',
      'aoc-statsd-emitter',
    ]);
    const collector = r.containerDefinitions[0];
    expect(collector.command).toEqual(['--config=/etc/ecs/ecs-default-config.yaml']);
    expect(collector.image).toBe('amazon/aws-otel-collector');
    expect(collector.portMappings).toEqual([
      { hostPort: 2000, protocol: 'udp', containerPort: 2000 },
      { hostPort: 4317, protocol: 'tcp', containerPort: 4317 },
      { hostPort: 8125, protocol: 'udp', containerPort: 8125 },
    ]);
    expect(collector.healthCheck).toEqual({
      command: ['/healthcheck'],
      interval: 5,
      timeout: 6,
      retries: 5,
      startPeriod: 1,
    });
    for (const c of r.containerDefinitions.filter((c) => c.logConfiguration)) {
      expect(c.logConfiguration?.options?.['awslogs-region']).toBe('us-west-2');
    }
  });

  it('puts a multi-item command in order', () => {
    const r = renderAdotTaskTemplate(text, {
      ...values,
      command: ['--config=/etc/ecs/ecs-xray.yaml', '--set=service.telemetry.logs.level=debug'],
    });
    expect(r.containerDefinitions[0].command).toEqual([
      '--config=/etc/ecs/ecs-xray.yaml',
      '--set=service.telemetry.logs.level=debug',
    ]);
  });
});

describe('renderAdotTaskTemplate', () => {
  it('renders the project default template', () => {
    const r = renderAdotTaskTemplate(DEFAULT_ADOT_TEMPLATE, values);
    expect(r.containerDefinitions).toHaveLength(1);
    expect(r.containerDefinitions[0]).toMatchObject({
      name: 'aws-otel-collector',
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
      command: values.command,
    });
  });

  it('escapes values so a quote can neither break the document nor inject a field', () => {
    const hostile = {
      region: 'us-west-2", "injected": "yes',
      taskRoleArn: 'arn:aws:iam::1:role/a"b\\c',
      executionRoleArn: 'arn:aws:iam::1:role/x',
      command: ['--config=/a "b".yaml', '", "--evil'],
    };
    const r = renderAdotTaskTemplate(DEFAULT_ADOT_TEMPLATE, hostile);
    expect(r.taskRoleArn).toBe(hostile.taskRoleArn);
    expect(r.containerDefinitions[0].command).toEqual(hostile.command);
    expect(r.containerDefinitions[0].logConfiguration?.options?.['awslogs-region']).toBe(hostile.region);
    expect(r).not.toHaveProperty('injected');
    expect(r.containerDefinitions[0].logConfiguration?.options).not.toHaveProperty('injected');
  });

  it("accepts the docs' {{ecsExecutionRoleArn}} alias and the Fargate template's quoted command", () => {
    const t =
      '{"executionRoleArn": "{{ecsExecutionRoleArn}}", "containerDefinitions": [{"name": "c", "command": ["{{command}}"]}]}';
    expect(renderAdotTaskTemplate(t, { ...values, command: ['a', 'b'] })).toEqual({
      executionRoleArn: values.executionRoleArn,
      containerDefinitions: [{ name: 'c', command: ['a', 'b'] }],
    });
  });

  it('knows a placeholder after an escaped quote is still inside its string', () => {
    const t = String.raw`{"note": "say \"{{region}}\" \\", "r": {{region}}, "containerDefinitions": [{"name": "c"}]}`;
    expect(renderAdotTaskTemplate(t, values)).toMatchObject({ note: 'say "us-west-2" \\', r: 'us-west-2' });
  });

  it('fills a placeholder that stands outside a string as a JSON string', () => {
    expect(renderAdotTaskTemplate('{"r": {{region}}, "containerDefinitions": [{"name": "c"}]}', values).r).toBe(
      'us-west-2',
    );
  });

  it.each<[string, string, Partial<AdotTemplateValues>]>([
    [
      '{"a": "{{regoin}}", "b": "{{cluster}}"}',
      'ADOT task template: unknown placeholders {{regoin}}, {{cluster}}; known: {{region}}, {{ecsTaskRoleArn}}, {{ecsTaskExecutionRoleArn}}, {{ecsExecutionRoleArn}}, {{command}}',
      {},
    ],
    ['{"a": "{{region}}"}', 'ADOT task template: placeholder {{region}} is unfilled: region is empty', { region: '' }],
    ['{"c": [ {{command}} ]}', 'ADOT task template: {{command}} needs a non-empty command list', { command: [] }],
    [
      '{"c": ["--x={{command}}"]}',
      'ADOT task template: {{command}} must stand alone in its array, not inside other text (line 1, column 13)',
      {},
    ],
    [
      '{\n  "containerDefinitions": [\n    {"name": "c",}\n  ]\n}',
      'ADOT task template: not valid JSON after rendering, at line 3, column 18: expected a double-quoted property name, got "}"',
      {},
    ],
    [
      '{\n  "a": [ {{command}} ,, ]\n}',
      'ADOT task template: not valid JSON after rendering, at line 2, column 55: expected a value, got ","',
      {},
    ],
    [
      '{"containerDefinitions": [{"name": "c", "cpu": tru}]}',
      'ADOT task template: not valid JSON after rendering, at line 1, column 48: unexpected "tru"',
      {},
    ],
    [
      '{"containerDefinitions": [{"name": "c"}]\n',
      "ADOT task template: not valid JSON after rendering, at line 2, column 1: expected '}', got the end of the document",
      {},
    ],
    [
      '{"containerDefinitions": [{"name": "c"}], // the collector\n"r": "{{region}}"}',
      'ADOT task template: not valid JSON after rendering, at line 1, column 43: comments are not JSON, got "// the collector"',
      {},
    ],
    [
      '{"containerDefinitions": [{"name": "c\tsv"}]}',
      'ADOT task template: not valid JSON after rendering, at line 1, column 36: control character in a string, got "\\"c\\tsv\\""',
      {},
    ],
    ['   ', 'ADOT task template: the template is empty', {}],
    ['[]', 'ADOT task template: the rendered template is not a JSON object', {}],
    ['{"family": "x"}', 'ADOT task template: the rendered template has no containerDefinitions', {}],
  ])('rejects %j', (template, message, override) => {
    expect(() => renderAdotTaskTemplate(template, { ...values, ...override })).toThrow(message);
  });
});

describe('renderAdotTaskTemplate on broken templates', () => {
  const edit = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('insert', 'delete', 'replace'),
    char: fc.constantFrom(...'{}[],:"\\\n\t1-e.tn/* '),
  });

  it('either renders or names the line and column of the first syntax error', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let t = DEFAULT_ADOT_TEMPLATE;
        for (const { at, op, char } of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + (op === 'delete' ? '' : char) + t.slice(op === 'insert' ? i : i + 1);
        }
        try {
          renderAdotTaskTemplate(t, values);
        } catch (e) {
          expect((e as Error).message).toMatch(
            /^ADOT task template: (not valid JSON after rendering, at line \d+, column \d+: [^\n]+|unknown placeholders? [^\n]+|\{\{command\}\} must stand alone in its array, [^\n]+|the rendered template (is not a JSON object|has no containerDefinitions))$/,
          );
        }
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
