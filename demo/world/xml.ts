/**
 * Text made safe for XML: the demo ERP's envelopes and events, and the SOAP headers the gateway writes.
 *
 *   `<Sku>${escapeXml(sku)}</Sku>`, `xmlns:h="${escapeXmlAttribute(namespace)}"`
 */

/** For element content. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For a double-quoted attribute value. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}
