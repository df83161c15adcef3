/** Largest frame of terminal input the client sends; the server accepts up to 1 MiB. */
export const MAX_INPUT_FRAME_BYTES = 64 * 1024;

/** Encodes terminal input as UTF-8 and splits it into frames of at most `max` bytes, never inside a character. */
export function chunkInput(data: string, max: number = MAX_INPUT_FRAME_BYTES): Uint8Array<ArrayBuffer>[] {
  const bytes = new TextEncoder().encode(data);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + max);
    // Step back over UTF-8 continuation bytes (10xxxxxx) so a character stays whole.
    if (end < bytes.length) {
      let back = end;
      while (back > start && ((bytes[back] ?? 0) & 0xc0) === 0x80) back--;
      if (back > start) end = back;
    }
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  return chunks;
}
