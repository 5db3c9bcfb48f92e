// Short, stable public ids: 12 lowercase base-36 characters, as strict API clients expect.
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newPublicId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let id = '';
  // 252 is the largest multiple of 36 below 256: reject above it to stay unbiased.
  for (let i = 0; id.length < 12; i++) {
    if (i >= bytes.length) return id + newPublicId().slice(0, 12 - id.length);
    const byte = bytes[i]!;
    if (byte < 252) id += ALPHABET[byte % 36];
  }
  return id;
}
