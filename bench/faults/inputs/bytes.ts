/** Bytes for the bad inputs: text in Windows-1251, garbage that is the same on every run. */

const decoder = new TextDecoder('windows-1251');
/** Every character Windows-1251 defines → its byte (0x98 is the one it leaves undefined). */
const cp1251 = new Map<string, number>();
for (let byte = 0; byte < 256; byte++) {
  const char = decoder.decode(Uint8Array.of(byte));
  if (char !== '\uFFFD') cp1251.set(char, byte);
}

/** `text` as a Windows-1251 file would hold it; a character it cannot encode fails. */
export function windows1251(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (char) => {
      const byte = cp1251.get(char);
      if (byte === undefined) throw new Error(`${JSON.stringify(char)} has no Windows-1251 byte`);
      return byte;
    }),
  );
}

/** `length` pseudo-random bytes from `seed`, every byte value possible (NUL, 0xFF, line feeds). */
export function garbage(length: number, seed = 7): Buffer {
  let state = seed;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = state >>> 16;
  }
  return bytes;
}

/** The file's lines (its last line ending dropped) and a way back to its bytes. */
export function linesOf(file: Buffer): string[] {
  return file.toString('utf8').replace(/\n$/, '').split('\n');
}

export function joinLines(lines: readonly string[], ending = '\n'): string {
  return `${lines.join(ending)}${ending}`;
}
