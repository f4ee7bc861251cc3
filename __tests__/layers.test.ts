import { adotLayer } from '../modules';
import { APPLICATION_SIGNALS_LAYERS, layerMismatches } from '../modules/traced-function/layers';

describe('adotLayer', () => {
  it('gives the Application Signals layer, its wrapper and its policy', () => {
    expect(adotLayer('us-west-2', 'x86_64', 'application-signals')).toEqual({
      arn: 'arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroJs:15',
      execWrapper: '/opt/otel-instrument',
      managedPolicies: ['CloudWatchLambdaApplicationSignalsExecutionRolePolicy'],
    });
    // One ARN for both architectures.
    expect(adotLayer('us-west-2', 'arm64', 'application-signals')).toEqual(
      adotLayer('us-west-2', 'x86_64', 'application-signals'),
    );
  });

  it('uses the regional account and version, and the partition', () => {
    expect((adotLayer('ap-east-2', 'x86_64', 'application-signals') as { arn: string }).arn).toBe(
      'arn:aws:lambda:ap-east-2:412664885777:layer:AWSOpenTelemetryDistroJs:4',
    );
    expect((adotLayer('cn-north-1', 'x86_64', 'application-signals') as { arn: string }).arn).toBe(
      'arn:aws-cn:lambda:cn-north-1:440179912924:layer:AWSOpenTelemetryDistroJs:8',
    );
  });

  it('gives the legacy layer per architecture with /opt/otel-handler', () => {
    expect(adotLayer('eu-west-1', 'arm64', 'legacy-collector')).toEqual({
      arn: 'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-2:1',
      execWrapper: '/opt/otel-handler',
      managedPolicies: [],
    });
    expect((adotLayer('eu-west-1', 'x86_64', 'legacy-collector') as { arn: string }).arn).toContain(
      'aws-otel-nodejs-amd64-ver-1-30-2:1',
    );
  });

  it('never invents an ARN for a region without a layer', () => {
    expect(adotLayer('us-gov-west-1', 'x86_64', 'application-signals')).toMatch(
      /^no AWSOpenTelemetryDistroJs layer is published in us-gov-west-1/,
    );
    expect(adotLayer('af-south-1', 'x86_64', 'legacy-collector')).toMatch(
      /^no aws-otel-nodejs layer is published in af-south-1/,
    );
  });

  it('covers every region of the facts table', () => {
    expect(Object.keys(APPLICATION_SIGNALS_LAYERS)).toHaveLength(36);
  });
});

describe('layerMismatches', () => {
  const signals = 'arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroJs:15';
  const legacy = 'arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-nodejs-amd64-ver-1-30-2:1';

  it('accepts matching layers and wrappers', () => {
    expect(layerMismatches(signals, '/opt/otel-instrument', 'us-west-2', 'arm64')).toEqual([]);
    expect(layerMismatches(legacy, '/opt/otel-handler', 'us-west-2', 'x86_64')).toEqual([]);
  });

  it('names every mismatch', () => {
    expect(layerMismatches(signals, '/opt/otel-handler', 'eu-west-1', 'x86_64')).toEqual([
      'layer AWSOpenTelemetryDistroJs is from us-west-2, the function is in eu-west-1',
      'AWSOpenTelemetryDistroJs needs AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument, got /opt/otel-handler',
    ]);
    expect(layerMismatches(legacy, '/opt/otel-instrument', 'us-west-2', 'arm64')).toEqual([
      'aws-otel-nodejs-amd64-ver-1-30-2 needs AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-handler, got /opt/otel-instrument',
      'layer aws-otel-nodejs-amd64-ver-1-30-2 is for x86_64, the function is arm64',
    ]);
    expect(layerMismatches('not-an-arn', undefined, 'us-west-2', 'x86_64')).toEqual([
      'not-an-arn is not a Lambda layer version ARN',
    ]);
  });
});
