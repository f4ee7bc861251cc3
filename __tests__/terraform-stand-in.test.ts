import { availabilityZones, signingScope, startStandIn, type StandIn } from '../terraform/aws-stand-in';

const auth = (region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=offline-plan/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

async function call(standIn: StandIn, service: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(standIn.url, {
    method: 'POST',
    headers: {
      authorization: auth('us-west-2', service),
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('the loopback AWS stand-in', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ lifetimeMs: 60_000 });
  });
  afterAll(() => standIn.close());

  it('listens on a free loopback port', () => {
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(standIn.url).not.toMatch(/:0$/);
  });

  it('answers sts:GetCallerIdentity (query protocol, XML)', async () => {
    const r = await call(standIn, 'sts', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<Account>123456789012</Account>');
    expect(r.text).toContain('<Arn>arn:aws:iam::123456789012:user/offline-plan</Arn>');
  });

  it('answers ec2:DescribeAvailabilityZones with its filters', async () => {
    const all = await call(
      standIn,
      'ec2',
      'Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=state&Filter.1.Value.1=available',
    );
    expect(all.status).toBe(200);
    expect([...all.text.matchAll(/<zoneName>([^<]+)<\/zoneName>/g)].map((m) => m[1])).toEqual([
      'us-west-2a',
      'us-west-2b',
      'us-west-2c',
    ]);
    const none = await call(
      standIn,
      'ec2',
      'Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=zone-type&Filter.1.Value.1=local-zone',
    );
    expect(none.text).toContain('<availabilityZoneInfo></availabilityZoneInfo>');
    const unknown = await call(
      standIn,
      'ec2',
      'Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=parent-zone-id&Filter.1.Value.1=x',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('unknown filter parent-zone-id');
  });

  it('answers ssm:GetParameter (JSON 1.1) for the public AMI parameters, and no other', async () => {
    const headers = { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' };
    const name = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
    const ami = await call(standIn, 'ssm', JSON.stringify({ Name: name }), headers);
    expect(ami.status).toBe(200);
    expect(JSON.parse(ami.text).Parameter).toMatchObject({
      Name: name,
      Value: 'ami-0123456789abcdef0',
      Type: 'String',
    });
    const other = await call(standIn, 'ssm', JSON.stringify({ Name: '/team/secret' }), headers);
    expect(other.status).toBe(400);
    expect(JSON.parse(other.text)).toEqual({
      __type: 'ParameterNotFound',
      message: 'offline plan stand-in: no value for SSM parameter /team/secret (it knows /aws/service/.../image_id)',
    });
  });

  it('refuses every other call, naming it, and records it', async () => {
    const before = standIn.unanswered.length;
    const query = await call(standIn, 'ec2', 'Action=DescribeVpcs&Version=2016-11-15');
    expect(query.status).toBe(400);
    expect(query.text).toContain('<Code>UnsupportedOperation</Code>');
    expect(query.text).toContain('offline plan stand-in: ec2:DescribeVpcs is not answered');
    const json = await call(standIn, 'logs', '{}', { 'x-amz-target': 'Logs_20140328.DescribeLogGroups' });
    expect(JSON.parse(json.text).message).toContain('logs:DescribeLogGroups is not answered');
    expect(standIn.unanswered.slice(before)).toEqual([
      { service: 'ec2', region: 'us-west-2', action: 'DescribeVpcs' },
      { service: 'logs', region: 'us-west-2', action: 'DescribeLogGroups' },
    ]);
  });

  it('closes itself when its lifetime ends', async () => {
    const brief = await startStandIn({ lifetimeMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(brief.url)).rejects.toThrow();
    await brief.close(); // and a second close is harmless
  });
});

describe('stand-in helpers', () => {
  it('reads the region and service from a SigV4 credential scope', () => {
    expect(signingScope(auth('eu-central-1', 'ssm'))).toEqual({ region: 'eu-central-1', service: 'ssm' });
    expect(signingScope(undefined)).toEqual({ region: 'unknown', service: 'unknown' });
  });

  it('names zones and zone ids like AWS', () => {
    expect(availabilityZones('ap-southeast-1')).toEqual([
      { name: 'ap-southeast-1a', id: 'apse1-az1' },
      { name: 'ap-southeast-1b', id: 'apse1-az2' },
      { name: 'ap-southeast-1c', id: 'apse1-az3' },
    ]);
    expect(availabilityZones('us-west-2')[0].id).toBe('usw2-az1');
  });
});
