import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsContext, ReadableStack, readableLogicalId } from '../modules';
import { testApp } from './support/scratch';

describe('readableLogicalId', () => {
  it('joins the path with underscores and drops CDK-style Default/Resource ids', () => {
    expect(readableLogicalId(['network', 'vpc'])).toBe('network_vpc');
    expect(readableLogicalId(['api', 'Resource'])).toBe('api');
    expect(readableLogicalId(['my api', 'log.group'])).toBe('my_api_log_group');
    expect(readableLogicalId(['1st'])).toBe('_1st');
  });
});

describe('ReadableStack', () => {
  it('gives resources their path as logical id', () => {
    const stack = new ReadableStack(testApp(), 'test');
    new CloudwatchLogGroup(new Construct(stack, 'chat'), 'logs', { name: 'x' });
    expect(Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_log_group)).toEqual(['chat_logs']);
  });

  it('refuses two paths that map to one id', () => {
    const stack = new ReadableStack(testApp(), 'test');
    new CloudwatchLogGroup(new Construct(stack, 'a_b'), 'c', { name: 'x' });
    new CloudwatchLogGroup(new Construct(stack, 'a'), 'b_c', { name: 'y' });
    expect(() => Testing.synth(stack)).toThrow(
      'Stack "test": constructs "a_b/c" and "a/b_c" both map to the Terraform id "a_b_c"; rename one of them',
    );
  });
});

describe('AwsContext', () => {
  it('is one set of data sources per stack', () => {
    const stack = new ReadableStack(testApp(), 'test');
    expect(AwsContext.of(stack)).toBe(AwsContext.of(new Construct(stack, 'deep')));
  });

  it('refuses a user construct squatting its id', () => {
    const stack = new ReadableStack(testApp(), 'test');
    new Construct(stack, 'aws-context');
    expect(() => AwsContext.of(stack)).toThrow(
      'Stack "test": the construct id "aws-context" is reserved for AwsContext; rename your construct',
    );
  });
});
