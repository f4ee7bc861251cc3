import { awsConstraint, satisfies, shimFile, shimNeeded } from '../terraform/shim';

describe('version constraints', () => {
  it.each([
    ['6.25.0', '6.25.0', true],
    ['5.100.0', '6.25.0', false],
    ['5.100.0', '>= 6.25, < 7.0', false],
    ['6.30.1', '>= 6.25, < 7.0', true],
    ['7.0.0', '>= 6.25, < 7.0', false],
    ['6.30.0', '~> 6.25', true],
    ['7.1.0', '~> 6.25', false],
    ['6.25.9', '~> 6.25.1', true],
    ['6.26.0', '~> 6.25.1', false],
    ['5.100.0', '!= 5.100.0', false],
    ['5.100.0', '', true],
  ])('%s meets %j: %s', (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });

  it('rejects what it cannot read', () => {
    expect(() => satisfies('5.100.0', '>= six')).toThrow('not a version: "six"');
  });

  it('is needed only where the mirror does not meet a constraint', () => {
    expect(shimNeeded('5.100.0', ['6.25.0'])).toBe(true);
    expect(shimNeeded('6.25.0', ['6.25.0', '>= 6.25, < 7.0'])).toBe(false);
    expect(shimNeeded('5.100.0', [])).toBe(false);
  });
});

describe('the provider shim', () => {
  const stack = JSON.stringify({
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
    data: { aws_region: { r: {} } },
    locals: { arn: 'arn:aws:logs:${data.aws_region.r.region}:1:log-group:*', keep: '${var.region}' },
  });

  it('rewrites the aws constraint and data.aws_region.*.region in a .tf.json for a 5.x mirror', () => {
    const { text, changes } = shimFile('cdk.tf.json', stack, '5.100.0');
    const json = JSON.parse(text);
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
    expect(json.locals).toEqual({ arn: 'arn:aws:logs:${data.aws_region.r.name}:1:log-group:*', keep: '${var.region}' });
    expect(changes).toEqual([
      { file: 'cdk.tf.json', change: 'aws version "6.25.0" -> "5.100.0"' },
      { file: 'cdk.tf.json', change: 'data.aws_region.*.region -> .name (1x)' },
    ]);
  });

  it('rewrites an HCL root module, on one line or several', () => {
    const hcl = [
      'terraform {',
      '  required_providers {',
      '    aws = {',
      '      source  = "hashicorp/aws"',
      '      version = ">= 6.25, < 7.0"',
      '    }',
      '  }',
      '}',
      'output "r" { value = data.aws_region.current.region }',
      'output "v" { value = var.region }',
      '',
    ].join('\n');
    const { text, changes } = shimFile('main.tf', hcl, '5.100.0');
    expect(text).toContain('      version = "5.100.0"\n');
    expect(text).toContain('value = data.aws_region.current.name }');
    expect(text).toContain('value = var.region }');
    expect(changes.map((c) => c.change)).toEqual([
      'aws version ">= 6.25, < 7.0" -> "5.100.0"',
      'data.aws_region.*.region -> .name (1x)',
    ]);
    const oneLine =
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = ">= 6.25" }\n  }\n}\n';
    expect(shimFile('main.tf', oneLine, '5.100.0').text).toContain('version = "5.100.0" }');
  });

  it('leaves the region reads of a 6.x mirror alone (only the constraint, where unmet)', () => {
    const { text, changes } = shimFile('cdk.tf.json', stack, '6.10.0');
    expect(JSON.parse(text).locals.arn).toContain('data.aws_region.r.region');
    expect(changes.map((c) => c.change)).toEqual(['aws version "6.25.0" -> "6.10.0"']);
  });

  it('reads the aws constraint of each file form, and fails on one it cannot read', () => {
    expect(awsConstraint('cdk.tf.json', stack)).toBe('6.25.0');
    expect(
      awsConstraint('main.tf', 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'),
    ).toBeUndefined();
    expect(awsConstraint('main.tf', 'resource "aws_sqs_queue" "q" {}\n')).toBeUndefined();
    expect(() => awsConstraint('old.tf', 'terraform {\n  required_providers {\n    aws = "~> 6.0"\n  }\n}\n')).toThrow(
      'provider shim: old.tf requires the aws provider in a form the shim does not read',
    );
  });
});
