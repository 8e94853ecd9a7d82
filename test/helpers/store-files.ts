/**
 * The files of a SQLite store as a thief of the disk would read them: the database and whichever of
 * its `-wal`, `-shm` and `-journal` exist, as raw bytes, and the pieces of SQLite's file format
 * (https://www.sqlite.org/fileformat2.html) the stores' tests compare.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync } from "node:fs";

export const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;

/** Every file of the store at `db` that exists now, by suffix ("" for the database itself). */
export function storeFiles(db: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const suffix of ["", ...SIDE_FILES]) if (existsSync(db + suffix)) files.set(suffix, readFileSync(db + suffix));
  return files;
}

/** Copies the store's files as they are now (a hot journal included) to `to`. */
export function copyStore(db: string, to: string): void {
  for (const suffix of ["", ...SIDE_FILES]) if (existsSync(db + suffix)) copyFileSync(db + suffix, to + suffix);
}

/** Whether `needle` (text, as SQLite stores it in UTF-8) is in any file of the store; names the file. */
export function foundIn(files: Map<string, Buffer>, needle: string): string | null {
  for (const [suffix, bytes] of files) if (bytes.includes(Buffer.from(needle, "utf8"))) return `db${suffix}`;
  return null;
}

/**
 * A database file with the header fields that count changes rather than hold rows set to zero: the
 * file change counter (bytes 24..27), the schema cookie (40..43) and version-valid-for (92..95).
 * Two stores that took the same rows in different orders differ, if at all, only there.
 */
export function withoutCounters(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  for (const at of [24, 40, 92]) copy.fill(0, at, at + 4);
  return copy;
}

/** The page size a database file's header gives (bytes 16..17; 1 means 65,536). */
export function pageSize(file: Buffer): number {
  const size = file.readUInt16BE(16);
  return size === 1 ? 65_536 : size;
}

/**
 * The page images a rollback journal holds: after a header padded to the sector size, records of
 * a 4-byte page number, the page as it was before the transaction, and a 4-byte checksum.
 */
export function journalPages(journal: Buffer): { page: number; bytes: Buffer }[] {
  if (journal.length < 28 || journal.readUInt32BE(0) !== 0xd9d505f9) return [];
  const sector = journal.readUInt32BE(20);
  const size = journal.readUInt32BE(24);
  const pages: { page: number; bytes: Buffer }[] = [];
  for (let at = sector; at + 8 + size <= journal.length; at += 8 + size) {
    const page = journal.readUInt32BE(at);
    if (page === 0) break;
    pages.push({ page, bytes: journal.subarray(at + 4, at + 4 + size) });
  }
  return pages;
}

/** Page `n` (from 1) of a database file. */
export function page(file: Buffer, n: number): Buffer {
  const size = pageSize(file);
  return file.subarray((n - 1) * size, n * size);
}

/** A shuffled copy (Fisher–Yates on crypto randomness). */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
