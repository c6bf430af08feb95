// Prints what a .vsix holds (each file, its size, the total) and fails when the package is too large.
// Reads the zip's central directory itself, so it shows the archive as built, not what vsce meant to put in.
// Usage: node scripts/checkVsix.mjs [FILE] [--max-mb=5]       exit 1: over the limit or not a zip
import { readFileSync, statSync } from 'node:fs';

const file = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'sentiment-lens.vsix';
const maxMb = Number(process.argv.find((arg) => arg.startsWith('--max-mb='))?.slice(9) ?? 5);

/** The entries of a zip archive: name and uncompressed size, from its central directory. */
function zipEntries(bytes) {
  const END = 0x06054b50,
    ENTRY = 0x02014b50;
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== END) end--;
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(offset) !== ENTRY) throw new Error(`corrupt central directory at entry ${i}`);
    const size = bytes.readUInt32LE(offset + 24);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    entries.push({ name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength), size });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let entries;
try {
  entries = zipEntries(readFileSync(file));
} catch (error) {
  console.error(`[vsix] ${file}: ${error.message}`);
  process.exit(1);
}
const packed = statSync(file).size;
for (const { name, size } of entries) console.log(`[vsix]   ${name.padEnd(52)} ${kb(size).padStart(10)}`);
console.log(
  `[vsix] ${file}: ${(packed / 1024 / 1024).toFixed(2)} MB packed, ${entries.length} files, ${(entries.reduce((sum, e) => sum + e.size, 0) / 1024 / 1024).toFixed(2)} MB unpacked; limit ${maxMb} MB packed`,
);
if (packed > maxMb * 1024 * 1024) {
  console.error(
    `[vsix] ${file} is ${(packed / 1024 / 1024).toFixed(2)} MB, over the ${maxMb} MB limit: check .vscodeignore's allow-list`,
  );
  process.exit(1);
}
