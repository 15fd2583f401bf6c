/**
 * A request body read up to a size limit: refused as soon as it passes `maxBytes`, whatever its
 * Content-Length said (a declared length over the limit is refused before reading anything).
 *
 *   const body = await readLimited(request, 262_144, () => new DeliveryError(413, 'Too large.'));
 */
export async function readLimited(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      void discardRest(reader);
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
}

// How much more of a refused body is read and dropped before the connection is cut.
const DISCARD_BYTES = 1_048_576;

/**
 * Private: the rest of a refused body, read and dropped while the refusal is sent, so that a client
 * still sending gets its answer rather than a reset connection. One that goes on sending past
 * `DISCARD_BYTES` is cut off.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DISCARD_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The connection went already: there is nothing left to drop.
  }
}
