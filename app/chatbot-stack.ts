import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Network, ReadableStack } from '../modules';
import { PROJECT, type EnvironmentConfig } from './config';

export interface ChatbotTracingStackProps {
  readonly config: EnvironmentConfig;
}

/**
 * The reference app, one stack per environment: the traced chatbot and everything it runs on.
 */
export class ChatbotTracingStack extends ReadableStack {
  public readonly network: Network;

  constructor(scope: Construct, props: ChatbotTracingStackProps) {
    const { config } = props;
    super(scope, config.name);

    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: config.allowedAccountIds,
      defaultTags: [{ tags: { ...config.tags, project: PROJECT, environment: config.name, 'managed-by': 'cdktf' } }],
    });

    this.network = new Network(this, 'network', {
      cidrBlock: config.vpcCidr,
      azCount: config.azCount,
      natGateways: config.natGateways,
      flowLogRetentionDays: config.logRetentionDays,
    });

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId, description: 'The VPC id' });
    new TerraformOutput(this, 'private_subnet_ids', {
      value: this.network.privateSubnetIds,
      description: 'Private subnet ids, one per availability zone',
    });
    new TerraformOutput(this, 'public_subnet_ids', {
      value: this.network.publicSubnetIds,
      description: 'Public subnet ids, one per availability zone',
    });
  }
}
