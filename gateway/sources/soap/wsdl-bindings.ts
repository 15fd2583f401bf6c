/**
 * What a WSDL's services, ports and bindings say about how to call each operation, read from the WSDL
 * text itself: node-soap keeps one `methods` object per portType, so when two bindings (SOAP 1.1 and
 * SOAP 1.2) share a portType, the last one read overwrites the other's `SOAPAction`, and the binding
 * elements are gone once it has read them. Here each port keeps its binding's SOAP version, and each
 * operation its own `soapAction` and style.
 *
 *   readBindings(wsdlXml).ports;   // [{ service: 'LockerService', port: 'LockerSoap12', soapVersion: '1.2', portType: 'LockerPortType', operations: Map { 'FindLockers' → { soapAction, style } } }, …]
 */
import { parse, type TNode } from 'txml/txml';

const SOAP11 = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP12 = 'http://schemas.xmlsoap.org/wsdl/soap12/';

export interface BindingOperation {
  soapAction: string;
  style: 'document' | 'rpc';
  /** The SOAP headers the binding declares for the operation's input, as elements. */
  headers: HeaderElement[];
}

export interface HeaderElement {
  name: string;
  namespace: string;
  /**
   * Whether the element's children are in its namespace too: its schema's `elementFormDefault`,
   * which XSD leaves `unqualified` unless told. Known once the schemas are read (wsdl-model.ts).
   */
  qualifiedChildren?: boolean;
}

export interface PortBinding {
  service: string;
  port: string;
  /** The port's `soap:address`, or `soap12:address`. */
  location?: string;
  soapVersion: '1.1' | '1.2';
  /** The local name of the binding's portType: ports of one portType offer the same operations. */
  portType: string;
  operations: Map<string, BindingOperation>;
}

/** Every SOAP port of the WSDL, in document order; ports of other bindings (HTTP GET/POST) are left out. */
export function readBindings(wsdlXml: string): { ports: PortBinding[] } {
  // No HTML habits: WSDL's <input> and <output> have children.
  const root = parse(wsdlXml, { noChildNodes: [] }).find((node): node is TNode => typeof node === 'object' && local(node.tagName) === 'definitions');
  if (!root) throw new Error('the WSDL has no <definitions>');
  const namespaces = declarations(root, {});
  const children = elements(root);
  // Each message's parts that name an element, as { namespace, name } of that element.
  const messages = new Map<string, Map<string, HeaderElement>>();
  for (const message of children.filter((child) => local(child.tagName) === 'message')) {
    const scope = declarations(message, namespaces);
    const parts = new Map<string, HeaderElement>();
    for (const part of elements(message).filter((child) => local(child.tagName) === 'part' && child.attributes.element)) {
      const qname = String(part.attributes.element);
      const at = qname.indexOf(':');
      parts.set(String(part.attributes.name), { name: local(qname), namespace: declarations(part, scope)[at < 0 ? '' : qname.slice(0, at)] ?? '' });
    }
    messages.set(String(message.attributes.name), parts);
  }
  const bindings = new Map<string, { soapVersion: '1.1' | '1.2'; portType: string; operations: Map<string, BindingOperation> }>();
  for (const binding of children.filter((child) => local(child.tagName) === 'binding')) {
    const scope = declarations(binding, namespaces);
    const soapBinding = elements(binding).find((child) => local(child.tagName) === 'binding' && [SOAP11, SOAP12].includes(namespaceOf(child, scope)));
    if (!soapBinding) continue;
    const soapVersion = namespaceOf(soapBinding, scope) === SOAP12 ? '1.2' : '1.1';
    const defaultStyle = soapBinding.attributes.style === 'rpc' ? 'rpc' : 'document';
    const operations = new Map<string, BindingOperation>();
    for (const operation of elements(binding).filter((child) => local(child.tagName) === 'operation')) {
      const soapOperation = elements(operation).find((child) => local(child.tagName) === 'operation');
      const style = soapOperation?.attributes.style ?? defaultStyle;
      const input = elements(operation).find((child) => local(child.tagName) === 'input');
      const headers = (input ? elements(input) : [])
        .filter((child) => local(child.tagName) === 'header')
        .flatMap((header) => {
          const element = messages.get(local(String(header.attributes.message ?? '')))?.get(String(header.attributes.part ?? ''));
          return element ? [element] : [];
        });
      operations.set(String(operation.attributes.name), {
        soapAction: String(soapOperation?.attributes.soapAction ?? ''),
        style: style === 'rpc' ? 'rpc' : 'document',
        headers,
      });
    }
    bindings.set(String(binding.attributes.name), { soapVersion, portType: local(String(binding.attributes.type ?? '')), operations });
  }
  const ports: PortBinding[] = [];
  for (const service of children.filter((child) => local(child.tagName) === 'service')) {
    for (const port of elements(service).filter((child) => local(child.tagName) === 'port')) {
      const binding = bindings.get(local(String(port.attributes.binding ?? '')));
      if (!binding) continue;
      const address = elements(port).find((child) => local(child.tagName) === 'address');
      ports.push({
        service: String(service.attributes.name),
        port: String(port.attributes.name),
        ...(address?.attributes.location ? { location: String(address.attributes.location) } : {}),
        ...binding,
      });
    }
  }
  return { ports };
}

function elements(node: TNode): TNode[] {
  return node.children.filter((child): child is TNode => typeof child === 'object');
}

function local(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Private: the namespace declarations in scope at `node`, its own over its ancestors'. */
function declarations(node: TNode, inherited: Record<string, string>): Record<string, string> {
  const scope = { ...inherited };
  for (const [name, value] of Object.entries(node.attributes)) {
    if (name === 'xmlns') scope[''] = String(value);
    else if (name.startsWith('xmlns:')) scope[name.slice(6)] = String(value);
  }
  return scope;
}

function namespaceOf(node: TNode, scope: Record<string, string>): string {
  const at = node.tagName.indexOf(':');
  const own = declarations(node, scope);
  return own[at < 0 ? '' : node.tagName.slice(0, at)] ?? '';
}
