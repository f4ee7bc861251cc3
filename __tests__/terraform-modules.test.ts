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
});
