/**
 * Text made safe for XML, for whoever writes it: the SOAP envelopes and headers the gateway writes, and the demo ERP's answers and events.
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
