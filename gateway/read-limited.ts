/**
 * A request body read up to a size limit: refused as soon as it passes `maxBytes`, whatever its
 * Content-Length said (a declared length over the limit is refused before reading anything).
 *
 *   const body = await readLimited(request, 262_144, () => new DeliveryError(413, 'Too large.'));
 */
export async function readLimited(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
