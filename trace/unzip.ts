import * as zlib from 'node:zlib';
import { crc32 } from '../modules/traced-function/bundle';

export interface ZipEntry {
  name: string;
  /** Unix mode from the external attributes. */
  mode: number;
  /** The DOS date field. */
  date: number;
  crcOk: boolean;
  data: Buffer;
}

/** Reads a zip's entries back through its central directory (enough for the zips this project writes). */
export function unzip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString();
    const localNameLength = zip.readUInt16LE(local + 26);
    const body = zip.subarray(local + 30 + localNameLength, local + 30 + localNameLength + size);
    const data = zip.readUInt16LE(at + 10) === 8 ? zlib.inflateRawSync(body) : Buffer.from(body);
    entries.push({
      name,
      mode: zip.readUInt32LE(at + 38) >>> 16,
      date: zip.readUInt16LE(at + 14),
      crcOk: crc32(data) === zip.readUInt32LE(at + 16),
      data,
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
