/** An image reference pinned by a release tag (not `latest`) or by digest. Pure. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon > 0 && !['latest', ''].includes(lastSegment.slice(colon + 1));
}
