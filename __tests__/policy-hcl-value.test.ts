/**
 * The policy checks read `${jsonencode(...)}` with a small synchronous reader (modules/policy/hcl-value.ts)
 * because HashiCorp's parser (@cdktf/hcl2json) is asynchronous WebAssembly. This holds the two to the
 * same output: on every jsonencode() expression our stacks and the seeded foreign stack synthesize, and
 * on hand-written HCL forms.
 */
import { parse } from '@cdktf/hcl2json';
import { readEncodedJson, readHclValue } from '../modules';
import { ForeignStack } from './fixtures/policy/foreign-stack';
import { referenceApp } from './support/reference-app';
import { testApp } from './support/scratch';

/** Every `${jsonencode(...)}` string in a value. */
function jsonencodes(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && /^\$\{jsonencode\(/.test(value)) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => jsonencodes(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => jsonencodes(v, out));
  return out;
}

/** JSON with object keys sorted (hcl2json sorts them). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

async function hashicorp(expression: string): Promise<unknown> {
  const parsed = (await parse('expression.tf', `x = ${expression}\n`)) as { x: unknown };
  return parsed.x;
}

const HAND_WRITTEN = [
  '{"a" = "b\\n\\"q\\" \\\\ \\u00e9", b = -1.5e3, c = null, d = true, "e" = [1, "two", aws_x.y.z]}',
  '{"s" = "arn:${aws_s3_bucket.b.id}/*", "t" = "$${literal}", "u" = "%{if true}x%{endif}", "v" = "%%{x}"}',
  '{"f" = concat(["a"], var.x), "g" = var.c ? "a" : "b", "h" = [for s in var.l : upper(s)], "i" = aws_x.y[*].id, "j" = 1 + 2}',
  '{"k" = {"n" = {"m" = []}}, "l" = {}, "m" = aws_x.y["k"].arn, "n" = local.z, "o" = data.aws_x.y.z}',
  '[{"name" = "c", "n" = 1}]',
  '{"a" = "x", "a" = "y"}',
  '{(var.k) = 1}',
  '{a: 1, b: 2}',
  '{"a" = "${lookup(var.m, "k")}y"}',
  '{\n  a = 1 # a comment\n  b = [\n 1,\n 2\n ]\n}',
  '{"a" = {for k, v in var.m : k => v}}',
  '{"Statement" = [{"Effect" = "Allow", "Action" = ["s3:GetObject"], "Resource" = "${aws_s3_bucket.b.arn}/*"}]}',
];

describe('the jsonencode() reader', () => {
  it('reads what HashiCorp’s HCL parser reads, on every jsonencode() our stacks and the foreign stack synthesize', async () => {
    const app = testApp();
    const foreign = new ForeignStack(app, 'foreign', { plannable: true });
    const expressions = jsonencodes(JSON.parse(JSON.stringify(foreign.toTerraform())));
    for (const stack of Object.values(referenceApp().stacks)) expressions.push(...jsonencodes(stack));
    expect(expressions.length).toBeGreaterThan(5);
    for (const expression of expressions) {
      const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1] as string;
      expect([expression, canonical(readEncodedJson(expression))]).toEqual([
        expression,
        canonical(await hashicorp(inner)),
      ]);
    }
  });

  it.each(HAND_WRITTEN)('reads %s as HashiCorp’s parser does', async (expression) => {
    expect(canonical(readHclValue(expression))).toEqual(canonical(await hashicorp(expression)));
  });

  it('returns undefined, never throws, for what is not an expression it can read', () => {
    for (const bad of ['{', '[1,', '{"a" = }', '"open', '{a = <<EOT\nx\nEOT\n}', '', '}', '{"a" = (}', '{/* x']) {
      expect(readHclValue(bad)).toBeUndefined();
    }
    expect(readEncodedJson('${var.x}')).toBeUndefined();
    expect(readEncodedJson('{not json')).toBeUndefined();
    expect(readEncodedJson(42)).toBeUndefined();
  });
});
