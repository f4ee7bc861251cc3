import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { createApp } from '../app';
import { referenceApp } from './support/reference-app';
import { scratchDir } from './support/scratch';

const root = path.resolve(__dirname, '..');

/**
 * `cdktf synth --hcl` writes invalid HCL when a JSON string (an IAM policy, say) holds a Terraform
 * reference. The constructs avoid such strings (policy documents, jsonencode()); HashiCorp's own HCL
 * parser, offline, proves the HCL output of every stack parses and holds what the JSON output holds.
 */
describe('HCL output', () => {
  it('parses for every stack, with the same resources as the JSON output', async () => {
    const hclDir = scratchDir('hcl-');
    // What `cdktf synth --hcl` sets: cdktf 0.21's stacks read only this variable, not App's hclOutput.
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      createApp({ projectRoot: root, outdir: hclDir, env: {} }).synth();
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    const { stacks } = referenceApp();
    for (const stack of ['dev', 'prod']) {
      const text = fs.readFileSync(path.join(hclDir, 'stacks', stack, 'cdk.tf'), 'utf8');
      expect(text).toMatch(/^resource "aws_vpc" "network_vpc" \{$/m); // HCL, not JSON
      const hcl = (await parse('cdk.tf', text)) as Record<string, Record<string, unknown>>;
      const json = stacks[stack];
      const addresses = (blocks: Record<string, Record<string, unknown>>) =>
        Object.entries(blocks)
          .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
          .sort();
      expect(addresses(hcl.resource as never)).toEqual(addresses(json.resource));
      expect(addresses(hcl.data as never)).toEqual(addresses(json.data));
      expect(Object.keys(hcl.output).sort()).toEqual(Object.keys(json.output).sort());
    }
  });
});
