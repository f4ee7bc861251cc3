/**
 * Where HCL users get the published modules: the archive a release attaches
 * (`terraform-modules-v<version>.tar.gz`, holding `terraform-modules/<name>/`), addressed the way
 * Terraform fetches an archive over HTTPS with a subdirectory:
 *
 *   https://github.com/<owner>/<repo>/releases/download/v<version>/terraform-modules-v<version>.tar.gz//terraform-modules/<name>
 *
 * One place builds the address, from package.json's `repository` and `version`: the module READMEs,
 * the docs and `npm run pack:modules` (what the release uploads) all use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface PackageJson {
  version: string;
  repository?: { url?: string } | string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as PackageJson;

/** `https://github.com/<owner>/<repo>` from package.json's repository. */
export function repositoryUrl(p: PackageJson = pkg): string {
  const url = typeof p.repository === 'string' ? p.repository : p.repository?.url;
  const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?$/.exec(url ?? '');
  if (!m) throw new Error(`package.json repository must be a GitHub repository, got ${JSON.stringify(url)}`);
  return `https://github.com/${m[1]}/${m[2]}`;
}

/** The archive's file name for a version: `terraform-modules-v0.1.0.tar.gz`. */
export function archiveName(version: string = pkg.version): string {
  return `terraform-modules-v${version}.tar.gz`;
}

/** The download URL of the release archive. */
export function archiveUrl(p: PackageJson = pkg): string {
  return `${repositoryUrl(p)}/releases/download/v${p.version}/${archiveName(p.version)}`;
}

/** The `source` of a published module, e.g. `moduleSource('traced-queue')`. */
export function moduleSource(name: string, p: PackageJson = pkg): string {
  return `${archiveUrl(p)}//terraform-modules/${name}`;
}
