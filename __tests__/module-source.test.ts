import { MODULES, moduleReadme, synthModule } from '../terraform-modules';
import { archiveName, archiveUrl, moduleSource, repositoryUrl } from '../terraform-modules/source';

describe('published module sources', () => {
  const pkg = { version: '1.2.3', repository: { url: 'git+https://github.com/acme/traced.git' } };

  it('address a folder of the release archive, the way Terraform fetches archives over HTTPS', () => {
    expect(repositoryUrl(pkg)).toBe('https://github.com/acme/traced');
    expect(archiveName('1.2.3')).toBe('terraform-modules-v1.2.3.tar.gz');
    expect(archiveUrl(pkg)).toBe(
      'https://github.com/acme/traced/releases/download/v1.2.3/terraform-modules-v1.2.3.tar.gz',
    );
    expect(moduleSource('traced-queue', pkg)).toBe(
      'https://github.com/acme/traced/releases/download/v1.2.3/terraform-modules-v1.2.3.tar.gz//terraform-modules/traced-queue',
    );
    expect(() => repositoryUrl({ version: '1.0.0', repository: 'https://gitlab.com/a/b' })).toThrow(
      'package.json repository must be a GitHub repository, got "https://gitlab.com/a/b"',
    );
  });

  it('are what every module README tells HCL users to write', () => {
    const spec = MODULES.find((m) => m.name === 'xray-sampling-rules')!;
    expect(moduleReadme(spec, synthModule(spec).outputs)).toContain(`  source = "${moduleSource(spec.name)}"\n`);
  });
});
