import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { UPSTREAM_ADOT, ensureUpstream, sha256, upstreamUrl, type UpstreamFile } from '../scripts/upstream';

describe('npm run upstream:fetch', () => {
  const bytes = Buffer.from('{"family": "aws-otel-EC2"}');
  const pin: UpstreamFile = { ...UPSTREAM_ADOT, sha256: sha256(bytes) };
  let server: http.Server;
  let base: string;
  let temp: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url?.endsWith('/tampered.json')) res.end('{"family": "evil"}');
      else if (req.url === `/${pin.repository}/${pin.commit}/${pin.path}`) res.end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-upstream-'));
  });
  afterEach(() => fs.rmSync(temp, { recursive: true, force: true }));

  it('reads the pinned commit of the upstream repository', () => {
    expect(upstreamUrl(UPSTREAM_ADOT)).toBe(
      'https://raw.githubusercontent.com/aws-observability/aws-otel-collector/ed0b1d595c795442480c8e83435b9bf7d79429b2/examples/ecs/aws-cloudwatch/ecs-ec2-sidecar.json',
    );
  });

  it('downloads the pinned file and writes it once its sha256 matches', async () => {
    const dest = path.join(temp, 'shared', 'ecs-ec2-sidecar.json');
    await expect(ensureUpstream(pin, dest, base)).resolves.toBe('downloaded');
    expect(fs.readFileSync(dest)).toEqual(bytes);
    // present: checked, not fetched again
    const before = requests.length;
    await expect(ensureUpstream(pin, dest, base)).resolves.toBe('checked');
    expect(requests.length).toBe(before);
  });

  it('refuses other bytes, downloaded or already there', async () => {
    const dest = path.join(temp, 'x.json');
    await expect(ensureUpstream({ ...pin, path: 'tampered.json' }, dest, base)).rejects.toThrow(
      `sha256 ${sha256(Buffer.from('{"family": "evil"}'))}, pinned ${pin.sha256}; not written`,
    );
    expect(fs.existsSync(dest)).toBe(false);
    fs.writeFileSync(dest, 'edited');
    await expect(ensureUpstream(pin, dest, base)).rejects.toThrow(`sha256 ${sha256(Buffer.from('edited'))}`);
    await expect(ensureUpstream({ ...pin, path: 'gone.json' }, path.join(temp, 'y'), base)).rejects.toThrow('HTTP 404');
  });
});
