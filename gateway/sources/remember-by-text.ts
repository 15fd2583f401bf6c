/**
 * A reader that remembers what it read from the last few texts. Requests that shared one upstream
 * call in flight each get the answer's text as their own string, and so do requests that got the
 * same answer again: they read it once. What it returns is shared, so it must be read-only for
 * everyone who gets it. A text that fails to read throws every time and is not remembered.
 *
 *   const readJson = rememberByText(JSON.parse, 16);
 *   readJson(text) === readJson(sameTextAgain);   // true
 */
export function rememberByText<T>(read: (text: string) => T, size: number): (text: string) => T {
  const recent = new Map<string, T>();
  return (text) => {
    if (recent.has(text)) return recent.get(text)!;
    const value = read(text);
    recent.set(text, value);
    if (recent.size > size) recent.delete(recent.keys().next().value!);
    return value;
  };
}
