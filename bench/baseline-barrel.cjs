/**
 * The synth benchmark's baseline: what any app that imports the provider barrel pays before it
 * does anything. Synthesizes ONE SQS queue. Never imitate this in the project.
 */
'use strict';
const { App, TerraformStack } = require('cdktf');
// The one deliberate barrel import of the repository (allow-listed in eslint.config.mjs and
// __tests__/imports.test.ts): its cost is what the benchmark compares against.
const aws = require('@cdktf/provider-aws');

const app = new App({ outdir: process.env.CDKTF_OUTDIR });
const stack = new TerraformStack(app, 'baseline');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-west-2' });
new aws.sqsQueue.SqsQueue(stack, 'queue', { name: 'baseline' });
app.synth();
