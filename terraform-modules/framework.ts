/**
 * Synthesizes constructs as standalone Terraform modules: typed variables with descriptions,
 * defaults and validation blocks, outputs with descriptions, `required_providers` with a version
 * range, and no provider or backend block (the caller's root module owns those).
 *
 * Written here rather than with @cdktf/tf-module-stack, an archived preview.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformVariable, Token, type IResolvable } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { snake, type Field, type Inputs } from '../modules/core/inputs';
import { ReadableStack } from '../modules/core/stack';
import { moduleSource } from './source';

/** The AWS provider versions the modules accept: the major the constructs are generated for. */
export const PROVIDER_CONSTRAINT = '>= 6.25, < 7.0';
/** Variable validations that read other variables need Terraform 1.9. */
export const TERRAFORM_CONSTRAINT = '>= 1.9';

export interface ModuleVariable {
  readonly name: string;
  /** An HCL type constraint: `string`, `number`, `list(string)`, `list(object({...}))`. */
  readonly type: string;
  readonly description: string;
  /** Omit for a required variable. `null` makes an optional variable that defaults to null. */
  readonly default?: unknown;
  readonly sensitive?: boolean;
  /** Mirrors of the construct's checks: `condition` is an HCL expression. */
  readonly validation?: { readonly condition: string; readonly errorMessage: string }[];
}

/** A validation: a whole number in min..max, as the constructs' `Validator.intRange`. */
export function wholeIn(name: string, min: number, max: number) {
  return {
    condition: `var.${name} >= ${min} && var.${name} <= ${max} && floor(var.${name}) == var.${name}`,
    errorMessage: `${name} must be a whole number in ${min}..${max}.`,
  };
}

/** A validation: one of a fixed list of values, as the constructs' `Validator.oneOf`. */
export function oneOf(name: string, values: readonly (string | number)[]) {
  return {
    condition: `contains(${JSON.stringify(values)}, var.${name})`,
    errorMessage: `${name} must be one of ${values.join(', ')}.`,
  };
}

export interface ModuleOutput {
  readonly value: unknown;
  readonly description: string;
  readonly sensitive?: boolean;
}

export interface ModuleSpec {
  /** The folder name under dist/terraform-modules/. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly ModuleVariable[];
  /** Builds the resources from the variables; returns the outputs by name. */
  build(scope: Construct, vars: Record<string, TerraformVariable>): Record<string, ModuleOutput>;
  /** HCL arguments of the example's module block, by variable name (values are HCL expressions). */
  readonly example: Record<string, string>;
  /** Root-module variables the example declares (name -> description), for values it cannot know. */
  readonly exampleVariables?: Record<string, string>;
}

/** What a module made from a construct needs beside the construct's inputs. */
export interface ConstructModuleOptions<P, C> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The construct's inputs: every field not marked `notInModule` becomes variables, its checks validations. */
  readonly inputs: Inputs<P>;
  /** Values of the construct-only props (`notInModule`): a region from the provider, a fixed choice. */
  readonly supply?: (scope: Construct) => Partial<P>;
  /** Builds the construct from the props read from the variables and the supplied ones. */
  readonly construct: (scope: Construct, props: P) => C;
  readonly outputs: (construct: C) => Record<string, ModuleOutput>;
  readonly example: Record<string, string>;
  readonly exampleVariables?: Record<string, string>;
}

const fieldsOf = (inputs: Inputs<unknown>) =>
  Object.entries<Field<unknown>>(inputs.fields as Record<string, Field<unknown>>).filter(([, f]) => !f.notInModule);

/**
 * A module that IS the construct: its variables are the construct's inputs, its validations the
 * construct's checks (each a Terraform condition when the value is a variable), its resources what
 * the construct builds from the variables. Nothing is written twice.
 */
export function constructModule<P, C>(o: ConstructModuleOptions<P, C>): ModuleSpec {
  const inputs = o.inputs as unknown as Inputs<unknown>;
  const variables: ModuleVariable[] = fieldsOf(inputs).flatMap(([name, f]) =>
    f.parts(snake(name), f).map((part) => ({
      name: part.name,
      type: part.type,
      description: part.description,
      ...('default' in part ? { default: part.default } : {}),
    })),
  );
  return {
    name: o.name,
    title: o.title,
    description: o.description,
    variables,
    example: o.example,
    exampleVariables: o.exampleVariables,
    build(scope, vars) {
      const variable = (name: string) => {
        const v = vars[name];
        if (!v) throw new Error(`module ${o.name}: no variable ${name}`);
        return v.value as IResolvable;
      };
      const props: Record<string, unknown> = {};
      for (const [name, f] of fieldsOf(inputs)) props[name] = f.read(variable, snake(name), { scope, variable });
      const given = o.supply?.(scope) ?? {};
      Object.assign(props, given);
      const evaluation = inputs.evaluate(props);
      if (evaluation.problems.length > 0) {
        throw new Error(
          `module ${o.name}: the variables fail the construct's own checks:\n${evaluation.problems.join('\n')}`,
        );
      }
      const supplied = new Set(Object.keys(given));
      for (const check of evaluation.planChecks) {
        // A supplied value (the provider's region) is the module's own: nothing for the caller to check.
        if (supplied.has(check.field)) continue;
        // The first variable the message names (a nested object's part: `throttle_burst_limit`), the variable
        // of the field, or the first variable of a field given as several (a reference).
        // (`every item of subnet_ids must be ...` names it after its first words.)
        const named = check.message.split(' ').find((word) => vars[word]) ?? '';
        const name = vars[named] ? named : vars[check.field] ? check.field : snake(check.field);
        const target = vars[name] ?? vars[Object.keys(vars).find((v) => v.startsWith(`${name}_`)) ?? ''];
        if (!target) throw new Error(`module ${o.name}: no variable carries the check on ${check.field}`);
        target.addValidation({ condition: Token.asString(check.condition), errorMessage: check.message });
      }
      for (const [name, f] of fieldsOf(inputs)) {
        for (const check of f.moduleChecks?.((part) => variable(`${snake(name)}_${part}`)) ?? []) {
          vars[`${snake(name)}_${check.part}`].addValidation({
            condition: Token.asString(check.condition),
            errorMessage: `${snake(name)}_${check.part} must be ${check.rule}.`,
          });
        }
      }
      return o.outputs(o.construct(scope, props as P));
    },
  };
}

/** Removes cdktf's `//` metadata, recursively. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, stripMetadata(v)]),
    );
  }
  return value;
}

export interface SynthesizedModule {
  /** The module's `main.tf.json` content. */
  readonly json: Record<string, unknown>;
  readonly outputs: Record<string, ModuleOutput>;
}

export function synthModule(spec: ModuleSpec): SynthesizedModule {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `module-${spec.name}-`));
  try {
    const app = new App({ outdir, stackTraces: false, skipBackendValidation: true });
    const stack = new ReadableStack(app, spec.name);
    // Only to satisfy cdktf's provider-presence check; the block is removed below.
    new AwsProvider(stack, 'aws', {});
    // Variables and outputs may share names (cluster_name in, cluster_name out): each kind gets its
    // own scope, and the Terraform names are set explicitly.
    const variables = new Construct(stack, 'variables');
    const outputScope = new Construct(stack, 'outputs');
    const vars: Record<string, TerraformVariable> = {};
    for (const v of spec.variables) {
      vars[v.name] = new TerraformVariable(variables, v.name, {
        type: v.type,
        description: v.description,
        // cdktf cannot take a null default: it is set by override below. A variable with a value by
        // default takes null as "use the default", so the construct never sees a null it did not expect.
        default: v.default === null ? undefined : v.default,
        nullable: v.default === null ? true : false,
        sensitive: v.sensitive,
        // In JSON syntax the condition is a template: a bare expression would be read as a string.
        validation: v.validation?.map((x) => ({ condition: `\${${x.condition}}`, errorMessage: x.errorMessage })),
      });
      vars[v.name].overrideLogicalId(v.name);
      if (v.default === null) vars[v.name].addOverride('default', null);
    }
    const outputs = spec.build(stack, vars);
    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(outputScope, name, {
        value: output.value,
        description: output.description,
        sensitive: output.sensitive,
      }).overrideLogicalId(name);
    }
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', spec.name, 'cdk.tf.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete json.provider;
    json.terraform = {
      required_version: TERRAFORM_CONSTRAINT,
      required_providers: { aws: { source: 'hashicorp/aws', version: PROVIDER_CONSTRAINT } },
    };
    return { json: stripMetadata(json) as Record<string, unknown>, outputs };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Module block arguments as `terraform fmt` writes them: the `=` of consecutive single-line
 * arguments aligned, multi-line values indented and ending a group.
 */
export function hclArguments(args: Record<string, string>, indent = '  '): string[] {
  const entries = Object.entries(args);
  const lines: string[] = [];
  let i = 0;
  while (i < entries.length) {
    if (entries[i][1].includes('\n')) {
      // A multi-line value stands apart, between blank lines.
      const [k, v] = entries[i++];
      if (lines.length > 0) lines.push('');
      lines.push(`${indent}${k} = ${v.replace(/\n/g, `\n${indent}`)}`);
      if (i < entries.length) lines.push('');
      continue;
    }
    const group: [string, string][] = [];
    while (i < entries.length && !entries[i][1].includes('\n')) group.push(entries[i++]);
    const width = Math.max(...group.map(([k]) => k.length));
    for (const [k, v] of group) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
  }
  return lines;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const hclValue = (value: unknown): string => (value === undefined ? 'n/a' : `\`${JSON.stringify(value)}\``);

/** The module's README: usage, then Inputs and Outputs tables as terraform-docs writes them. */
export function moduleReadme(spec: ModuleSpec, outputs: Record<string, ModuleOutput>): string {
  const usage = hclArguments(spec.example).join('\n');
  return [
    `# ${spec.title}`,
    '',
    spec.description,
    '',
    'Generated by `npm run build:modules` from the construct of the same name; do not edit by hand.',
    '',
    '## Usage',
    '',
    '```hcl',
    `module "${spec.name.replace(/-/g, '_')}" {`,
    `  source = "${moduleSource(spec.name)}"`,
    '',
    usage,
    '}',
    '```',
    '',
    '## Requirements',
    '',
    '| name | version |',
    '| --- | --- |',
    `| terraform | ${TERRAFORM_CONSTRAINT} |`,
    `| aws | ${PROVIDER_CONSTRAINT} |`,
    '',
    '## Inputs',
    '',
    '| name | description | type | default | required |',
    '| --- | --- | --- | --- | :---: |',
    ...spec.variables.map(
      (v) =>
        `| ${v.name} | ${cell(v.description)} | \`${cell(v.type.replace(/\s+/g, ' '))}\` | ${cell(hclValue(v.default))} | ${v.default === undefined ? 'yes' : 'no'} |`,
    ),
    '',
    '## Outputs',
    '',
    '| name | description |',
    '| --- | --- |',
    ...Object.entries(outputs).map(
      ([name, o]) => `| ${name} | ${cell(o.description)}${o.sensitive ? ' (sensitive)' : ''} |`,
    ),
    '',
  ].join('\n');
}

/** An HCL root module that uses the module from `modulePath` and re-exports its outputs. */
export function exampleRootModule(spec: ModuleSpec, outputs: Record<string, ModuleOutput>, modulePath: string): string {
  const local = spec.name.replace(/-/g, '_');
  return [
    `# ${spec.title}: an HCL root module using the published module.`,
    'terraform {',
    `  required_version = "${TERRAFORM_CONSTRAINT}"`,
    '  required_providers {',
    `    aws = { source = "hashicorp/aws", version = "${PROVIDER_CONSTRAINT}" }`,
    '  }',
    '}',
    '',
    'provider "aws" {',
    '  region = "us-west-2"',
    `  default_tags { tags = { project = "${spec.name}-example", managed-by = "terraform" } }`,
    '}',
    '',
    ...Object.entries(spec.exampleVariables ?? {}).flatMap(([name, description]) => [
      `variable "${name}" {`,
      `  description = ${JSON.stringify(description)}`,
      '  type        = string',
      '}',
      '',
    ]),
    `module "${local}" {`,
    `  source = "${modulePath}"`,
    '',
    ...hclArguments(spec.example),
    '}',
    '',
    ...Object.entries(outputs).flatMap(([name, o]) => [
      `output "${name}" {`,
      `  description = ${JSON.stringify(o.description)}`,
      `  value       = module.${local}.${name}`,
      ...(o.sensitive ? ['  sensitive   = true'] : []),
      '}',
      '',
    ]),
  ].join('\n');
}
