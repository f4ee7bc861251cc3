/**
 * The synth benchmark's floor: what any cdktf app pays at least. Node, cdktf, and one resource
 * imported the way the project imports them (`@cdktf/provider-aws/lib/<resource>`): the same ONE SQS
 * queue the barrel baseline synthesizes.
 */
'use strict';
const { App, TerraformStack } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { SqsQueue } = require('@cdktf/provider-aws/lib/sqs-queue');

const app = new App({ outdir: process.env.CDKTF_OUTDIR });
const stack = new TerraformStack(app, 'floor');
new AwsProvider(stack, 'aws', { region: 'us-west-2' });
new SqsQueue(stack, 'queue', { name: 'floor' });
app.synth();
