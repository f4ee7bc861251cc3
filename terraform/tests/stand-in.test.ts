/**
 * The offline plan fails loudly, naming the call, when a configuration reads AWS through an API the
 * loopback stand-in does not answer (here ec2:DescribeVpcs, from a default-VPC lookup).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TerraformError, openToolchain, planOffline, prepare, type Toolchain } from '../runner';

describe('the offline stand-in', () => {
  let tc: Toolchain;
  let temp: string;
  before(async () => {
    tc = await openToolchain();
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-standin-'));
  });
  after(() => {
    tc?.dispose();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it('refuses a call it does not answer, and the plan fails naming it', async () => {
    fs.mkdirSync(path.join(temp, 'lookup'));
    fs.writeFileSync(
      path.join(temp, 'lookup', 'main.tf'),
      [
        'terraform {',
        '  required_providers {',
        '    aws = { source = "hashicorp/aws" }',
        '  }',
        '}',
        'provider "aws" {',
        '  region = "eu-west-1"',
        '}',
        'data "aws_vpc" "default" {',
        '  default = true',
        '}',
        '',
      ].join('\n'),
    );
    const ws = prepare(tc, { name: 'default-vpc lookup', base: temp, module: 'lookup' });
    await assert.rejects(planOffline(tc, ws, { timeoutMs: 120_000 }), (error: unknown) => {
      assert.ok(error instanceof TerraformError);
      assert.match(error.message, /does not answer: ec2:DescribeVpcs \(it answers sts:GetCallerIdentity, /);
      // terraform's own diagnostic carries the stand-in's answer
      assert.match(error.output, /offline plan stand-in: ec2:DescribeVpcs is not answered/);
      return true;
    });
  });
});
