import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cliConfigText,
  findMirror,
  findTerraformBinary,
  mirrorAwsVersion,
  offlineEnv,
  offlineOverride,
  pool,
  prepare,
  run,
  terraformAbsence,
  terraformEnv,
  type Toolchain,
} from '../terraform/runner';

let temp: string;
beforeEach(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-runner-'));
});
afterEach(() => fs.rmSync(temp, { recursive: true, force: true }));

function mirror(dir: string, versions: string[], packed: string[] = []): string {
  const aws = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  for (const v of versions) fs.mkdirSync(path.join(aws, v, 'linux_amd64'), { recursive: true });
  for (const v of packed) {
    fs.mkdirSync(aws, { recursive: true });
    fs.writeFileSync(path.join(aws, `terraform-provider-aws_${v}_linux_amd64.zip`), '');
  }
  return dir;
}

describe('finding terraform and the provider mirror', () => {
  it('finds terraform on PATH, or says why not', () => {
    const bin = path.join(temp, 'bin');
    fs.mkdirSync(bin);
    expect(findTerraformBinary({ PATH: bin })).toBeUndefined();
    expect(terraformAbsence({ PATH: bin })).toBe(
      'no terraform binary on PATH (install terraform >= 1.9, or set TERRAFORM=<path>)',
    );
    fs.writeFileSync(path.join(bin, 'terraform'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findTerraformBinary({ PATH: `/nonexistent${path.delimiter}${bin}` })).toBe(path.join(bin, 'terraform'));
    expect(terraformAbsence({ TERRAFORM: path.join(temp, 'nope') })).toBe(
      `TERRAFORM=${path.join(temp, 'nope')} is not an executable file`,
    );
  });

  (process.platform === 'linux' && process.arch === 'x64' ? it : it.skip)(
    'reads the newest aws version of a mirror, unpacked or packed',
    () => {
      expect(mirrorAwsVersion(mirror(path.join(temp, 'a'), ['5.9.0', '5.100.0', '5.20.1']))).toBe('5.100.0');
      expect(mirrorAwsVersion(mirror(path.join(temp, 'b'), ['5.100.0'], ['6.25.0']))).toBe('6.25.0');
      expect(mirrorAwsVersion(path.join(temp, 'none'))).toBeUndefined();
      expect(findMirror({ TF_PROVIDER_MIRROR: path.join(temp, 'a') })).toEqual({
        dir: path.join(temp, 'a'),
        aws: '5.100.0',
      });
      expect(findMirror({ TF_PROVIDER_MIRROR: 'off' })).toBeUndefined();
      expect(() => findMirror({ TF_PROVIDER_MIRROR: path.join(temp, 'none') })).toThrow(
        'holds no registry.terraform.io/hashicorp/aws',
      );
    },
  );
});

describe('the CLI configuration and environment', () => {
  it('takes aws from the mirror only, or caches downloads where there is none', () => {
    const text = cliConfigText({ dir: '/opt/tf-plugins', aws: '5.100.0' }, '/cache');
    expect(text).toContain(
      'filesystem_mirror {\n    path    = "/opt/tf-plugins"\n    include = ["registry.terraform.io/hashicorp/aws"]',
    );
    expect(text).toContain('direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]');
    expect(cliConfigText(undefined, '/cache')).toContain('plugin_cache_dir = "/cache"');
  });

  it('never passes on the caller’s CLI config, variables or data dir', () => {
    const env = terraformEnv(
      {
        PATH: '/bin',
        TF_CLI_CONFIG_FILE: '/home/me/.terraformrc',
        TF_VAR_region: 'x',
        TF_DATA_DIR: '/d',
        TF_LOG: 'debug',
      },
      '/scratch/terraform.tfrc',
    );
    expect(env).toEqual({
      PATH: '/bin',
      TF_LOG: 'debug',
      TF_CLI_CONFIG_FILE: '/scratch/terraform.tfrc',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
  });

  it('plans offline with no AWS settings of the caller and no proxy for the loopback', () => {
    const env = offlineEnv({ PATH: '/bin', AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIA', NO_PROXY: '.corp' });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.NO_PROXY).toBe('127.0.0.1,localhost,.corp');
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
  });

  it('overrides the backend and points sts, ec2 and ssm at the stand-in', () => {
    expect(offlineOverride('http://127.0.0.1:4000')).toEqual({
      terraform: { backend: { local: { path: 'offline.tfstate' } } },
      provider: {
        aws: {
          access_key: 'offline-plan',
          secret_key: 'offline-plan',
          skip_credentials_validation: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          endpoints: [{ sts: 'http://127.0.0.1:4000', ec2: 'http://127.0.0.1:4000', ssm: 'http://127.0.0.1:4000' }],
        },
      },
    });
  });
});

describe('scratch workspaces', () => {
  const toolchain = (aws: string | undefined): Toolchain => ({
    terraform: { bin: '/bin/false', version: '1.11.4' },
    mirror: aws === undefined ? undefined : { dir: '/opt/tf-plugins', aws },
    scratch: path.join(temp, 'scratch'),
    cliConfig: '',
    env: {},
    dispose: () => undefined,
  });
  const source = () => {
    const base = path.join(temp, 'src');
    fs.mkdirSync(path.join(base, 'modules', 'm'), { recursive: true });
    fs.mkdirSync(path.join(base, 'root', '.terraform'), { recursive: true });
    fs.writeFileSync(
      path.join(base, 'root', 'main.tf'),
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = ">= 6.25" }\n  }\n}\nmodule "m" {\n  source = "../modules/m"\n}\n',
    );
    fs.writeFileSync(path.join(base, 'root', 'terraform.tfstate'), '{}');
    fs.writeFileSync(
      path.join(base, 'modules', 'm', 'main.tf.json'),
      JSON.stringify({ output: { r: { value: '${data.aws_region.r.region}' } }, data: { aws_region: { r: {} } } }),
    );
    return base;
  };

  it('copies a root module and what it references, without state, and shims the copy only', () => {
    fs.mkdirSync(path.join(temp, 'scratch'));
    const base = source();
    const ws = prepare(toolchain('5.100.0'), { name: 'root', base, module: 'root', include: ['modules/m'] });
    expect(ws.dir).toBe(path.join(ws.root, 'root'));
    expect(fs.existsSync(path.join(ws.root, 'modules', 'm', 'main.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(ws.dir, '.terraform'))).toBe(false);
    expect(fs.existsSync(path.join(ws.dir, 'terraform.tfstate'))).toBe(false);
    expect(fs.readFileSync(path.join(ws.dir, 'main.tf'), 'utf8')).toContain('version = "5.100.0"');
    expect(fs.readFileSync(path.join(ws.root, 'modules', 'm', 'main.tf.json'), 'utf8')).toContain(
      'data.aws_region.r.name',
    );
    expect(ws.shim).toEqual([
      { file: 'modules/m/main.tf.json', change: 'data.aws_region.*.region -> .name (1x)' },
      { file: 'root/main.tf', change: 'aws version ">= 6.25" -> "5.100.0"' },
    ]);
    // the source is untouched
    expect(fs.readFileSync(path.join(base, 'root', 'main.tf'), 'utf8')).toContain('version = ">= 6.25"');
  });

  it('runs no shim where the provider meets the constraint, or comes from the registry', () => {
    fs.mkdirSync(path.join(temp, 'scratch'));
    const base = source();
    for (const aws of ['6.25.0', undefined]) {
      const ws = prepare(toolchain(aws), { name: 'root', base, module: 'root', include: ['modules/m'] });
      expect(ws.shim).toEqual([]);
      expect(fs.readFileSync(path.join(ws.root, 'modules', 'm', 'main.tf.json'), 'utf8')).toContain('.region}');
    }
  });
});

describe('running commands', () => {
  it('time-boxes a command and kills its process group', async () => {
    const started = Date.now();
    await expect(
      run('/bin/sh', ['-c', 'sleep 30 & sleep 30'], { cwd: temp, env: process.env, timeoutMs: 200 }),
    ).rejects.toThrow('did not finish within 0.2 s');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports a failing command with its output', async () => {
    await expect(
      run('/bin/sh', ['-c', 'echo nope >&2; exit 3'], { cwd: temp, env: process.env }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('failed (exit 3)'),
      output: 'nope\n',
    });
  });

  it('pools work in input order', async () => {
    expect(await pool([3, 1, 2], 2, async (n) => n * 2)).toEqual([6, 2, 4]);
  });
});
