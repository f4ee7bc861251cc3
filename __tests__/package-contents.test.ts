import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  expectedFiles,
  fileProblems,
  lowestOf,
  manifestProblems,
  packageOf,
  requiredPackages,
  satisfiesCaret,
  sourceMapProblems,
  type PackageJson,
} from '../consumer/package-contents';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;

/** A packed file list that matches `pkg` (what `npm pack --dry-run` lists). */
const packed = ['LICENSE', 'README.md', 'lib/index.d.ts', 'lib/index.js', 'lib/policy/cli.js', 'package.json'];
// ajv: through ajv-draft-04, whose peer it is.
const libRequires = [
  '@cdktf/provider-aws',
  'ajv',
  'ajv-draft-04',
  'cdktf',
  'constructs',
  'esbuild',
  'jsonc-parser',
  'yazl',
];

describe('the package file list', () => {
  it('is the compiled sources, the READMEs, the licence and package.json', () => {
    expect(
      expectedFiles(
        ['modules/index.ts', 'modules/core/iam.ts', 'modules/core/build-cache.js'],
        ['modules/network/README.md'],
      ),
    ).toEqual([
      'LICENSE',
      'README.md',
      'lib/core/build-cache.d.ts',
      'lib/core/build-cache.js',
      'lib/core/iam.d.ts',
      'lib/core/iam.js',
      'lib/index.d.ts',
      'lib/index.js',
      'modules/network/README.md',
      'package.json',
    ]);
    expect(() => expectedFiles(['handlers/chatbot.ts'], [])).toThrow('not a library source: handlers/chatbot.ts');
  });

  it('names every missing and every extra file', () => {
    expect(fileProblems(packed, packed)).toEqual([]);
    expect(fileProblems(['lib/index.js', 'lib/index.js.map', 'modules/index.ts'], ['lib/index.js', 'LICENSE'])).toEqual(
      [
        'missing from the package: LICENSE',
        'should not be in the package: lib/index.js.map',
        'should not be in the package: modules/index.ts',
      ],
    );
  });

  it('finds source map references', () => {
    expect(sourceMapProblems('lib/a.js', '"use strict";\nexports.a = 1;\n')).toEqual([]);
    expect(sourceMapProblems('lib/a.js', 'exports.a = 1;\n//# sourceMappingURL=a.js.map')).toEqual([
      'lib/a.js references a source map, but the package ships neither maps nor the .ts sources',
    ]);
  });
});

describe('what lib/ requires', () => {
  it('maps specifiers to packages, ignoring builtins and relative paths', () => {
    expect(packageOf('@cdktf/provider-aws/lib/vpc')).toBe('@cdktf/provider-aws');
    expect(packageOf('cdktf')).toBe('cdktf');
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('./core/iam')).toBeUndefined();
    expect(
      requiredPackages(
        `const vpc_1 = require("@cdktf/provider-aws/lib/vpc");\nconst x = require('esbuild');\nrequire("./a");\nrequire("node:path");`,
      ),
    ).toEqual(['@cdktf/provider-aws', 'esbuild']);
  });
});

describe('caret ranges', () => {
  it('follow npm: ^0.y.z stays within 0.y, ^x.y.z within x', () => {
    expect(lowestOf('^21.0.0')).toBe('21.0.0');
    expect(lowestOf('>=21.0.0')).toBeUndefined();
    expect(lowestOf('21.0.0')).toBeUndefined();
    expect(satisfiesCaret('10.8.1', '^10.4.2')).toBe(true);
    expect(satisfiesCaret('10.4.1', '^10.4.2')).toBe(false);
    expect(satisfiesCaret('11.0.0', '^10.4.2')).toBe(false);
    expect(satisfiesCaret('0.21.3', '^0.21.0')).toBe(true);
    expect(satisfiesCaret('0.22.0', '^0.21.0')).toBe(false);
    expect(satisfiesCaret('21.22.1', '^21.0.0')).toBe(true);
  });
});

describe('package.json', () => {
  it('declares exactly what lib/ requires, with peers our pinned build satisfies', () => {
    expect(manifestProblems(pkg, libRequires, packed)).toEqual([]);
  });

  it('names a peer shipped as a dependency (a second constructs inside our package), and unused dependencies', () => {
    const shipped: PackageJson = {
      ...pkg,
      dependencies: { ...pkg.dependencies, constructs: '10.4.2', '@opentelemetry/api': '1.9.0' },
    };
    expect(manifestProblems(shipped, libRequires, packed)).toEqual([
      'constructs is both a dependency and a peer dependency',
      'dependency @opentelemetry/api is never required by lib/: remove it',
    ]);
  });

  it('names an undeclared requirement, a loose peer, a pin outside its peer range and install scripts', () => {
    const broken: PackageJson = {
      ...pkg,
      peerDependencies: { ...pkg.peerDependencies, cdktf: '>=0.20', constructs: '^11.0.0' },
      scripts: { ...pkg.scripts, postinstall: 'node setup.js', prepack: undefined as unknown as string },
    };
    expect(manifestProblems(broken, [...libRequires, 'semver'], packed)).toEqual([
      'lib/ requires semver: declare it in dependencies or peerDependencies',
      'peer dependency cdktf must be a caret range ^x.y.z, got >=0.20',
      'devDependency constructs@10.4.2 is outside its peer range ^11.0.0',
      "scripts.postinstall would run in every consumer's install: remove it",
      'scripts.prepack must build lib/ (npm run build:lib)',
    ]);
  });

  it('names entry points that are not in the package', () => {
    const entries: PackageJson = {
      ...pkg,
      bin: { 'check-plan': 'lib/policy/no-such-cli.js' },
      exports: { '.': { types: './lib/index.d.ts', default: './lib/main.js' } },
    };
    expect(manifestProblems(entries, libRequires, packed)).toEqual([
      'bin.check-plan points at lib/policy/no-such-cli.js, which is not in the package',
      'exports["."].default points at ./lib/main.js, which is not in the package',
    ]);
    expect(manifestProblems({ ...pkg, exports: undefined }, libRequires, packed)).toEqual([
      'package.json has no exports map',
    ]);
  });
});
