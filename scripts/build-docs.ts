/**
 * npm run build:docs — writes, from each construct's `inputs.ts`, its `props.ts` (the props interface
 * and the types it uses, JSDoc on every field) and the Inputs table of its README. The output is laid
 * out as prettier lays it out; a test renders it again and fails when a file is out of step.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Inputs } from '../modules/core/inputs';
import { renderPropsFile, withInputsTable } from '../modules/core/inputs-docs';
import { ADOT_COLLECTOR_INPUTS } from '../modules/adot-collector/inputs';
import { CHAT_AGENT_INPUTS } from '../modules/chat-agent/inputs';
import { ECS_EC2_CLUSTER_INPUTS } from '../modules/ecs-ec2-cluster/inputs';
import { NETWORK_INPUTS } from '../modules/network/inputs';
import { TRACED_FUNCTION_INPUTS } from '../modules/traced-function/inputs';
import { TRACED_QUEUE_INPUTS } from '../modules/traced-queue/inputs';
import { TRACED_REST_API_INPUTS } from '../modules/traced-rest-api/inputs';
import { XRAY_FAULT_GROUP_INPUTS, XRAY_SAMPLING_RULES_INPUTS } from '../modules/xray-sampling-rules/inputs';

const root = path.resolve(__dirname, '..');

/** Every construct folder whose props are described as data. */
export const DOCUMENTED: readonly { readonly folder: string; readonly inputs: readonly Inputs<unknown>[] }[] = [
  { folder: 'adot-collector', inputs: [ADOT_COLLECTOR_INPUTS] },
  { folder: 'chat-agent', inputs: [CHAT_AGENT_INPUTS] },
  { folder: 'ecs-ec2-cluster', inputs: [ECS_EC2_CLUSTER_INPUTS] },
  { folder: 'network', inputs: [NETWORK_INPUTS] },
  { folder: 'traced-function', inputs: [TRACED_FUNCTION_INPUTS] },
  { folder: 'traced-queue', inputs: [TRACED_QUEUE_INPUTS] },
  { folder: 'traced-rest-api', inputs: [TRACED_REST_API_INPUTS] },
  { folder: 'xray-sampling-rules', inputs: [XRAY_SAMPLING_RULES_INPUTS, XRAY_FAULT_GROUP_INPUTS] },
].map((d) => ({ folder: d.folder, inputs: d.inputs as unknown as Inputs<unknown>[] }));

/** The generated files: path -> content. */
export function generatedFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { folder, inputs } of DOCUMENTED) {
    const dir = path.join(root, 'modules', folder);
    out[path.join(dir, 'props.ts')] = renderPropsFile(inputs);
    const readme = path.join(dir, 'README.md');
    out[readme] = withInputsTable(fs.readFileSync(readme, 'utf8'), inputs);
  }
  return out;
}

if (require.main === module) {
  for (const [file, content] of Object.entries(generatedFiles())) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
    fs.writeFileSync(file, content);
    process.stdout.write(`wrote ${path.relative(root, file)}\n`);
  }
}
