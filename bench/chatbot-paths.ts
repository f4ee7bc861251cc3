/**
 * The synth benchmark's scaling app: one stack with BENCH_PATHS chatbot paths on one network and
 * one API, with the policy checks. A path is what the reference app's chatbot is: a POST route to a
 * chatbot function that asks its own Bedrock agent and queues to a consumer function (about 45
 * resources). Run by bench/synth.cjs through scripts/app.cjs, from the project root.
 */
import * as path from 'node:path';
import { App, Aspects } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ChatAgent,
  Network,
  PolicyChecks,
  ReadableStack,
  TracedFunction,
  TracedQueue,
  TracedRestApi,
  configureTokenTraces,
  type RouteProps,
} from '../modules';

const count = Number(process.env.BENCH_PATHS ?? 1);
const handlers = path.join(process.cwd(), 'handlers');
configureTokenTraces();
const app = new App({ stackTraces: false });
const stack = new ReadableStack(app, 'paths');
new AwsProvider(stack, 'aws', { region: 'us-west-2' });
const network = new Network(stack, 'network', {});
const vpc = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };
const fn = (id: string, entry: string) =>
  new TracedFunction(stack, id, { functionName: id, entry: path.join(handlers, entry), region: 'us-west-2', vpc });

const routes: RouteProps[] = [];
for (let i = 0; i < count; i++) {
  const consumer = fn(`consumer-${i}`, 'sqs-consumer.ts');
  const queue = new TracedQueue(stack, `enquiries-${i}`, { queueName: `enquiries-${i}`, consumer });
  const chatbot = fn(`chatbot-${i}`, 'chatbot.ts');
  queue.grantSend(chatbot, 'ENQUIRY_QUEUE_URL');
  new ChatAgent(stack, `agent-${i}`, { agentName: `chatbot-${i}` }).grantInvoke(chatbot);
  routes.push({ path: `/chat-${i}`, method: 'POST', function: chatbot });
}
new TracedRestApi(stack, 'api', { apiName: 'paths', routes });
Aspects.of(stack).add(new PolicyChecks());
app.synth();
