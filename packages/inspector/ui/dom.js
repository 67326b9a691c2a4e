// Small DOM helpers. Everything a server or tool sent is inserted as text (never as HTML), so a
// hostile description or result cannot run script in the page.

/** Creates an element: props are attributes (`class`, `data-*`, `aria-*`), properties, or `on<event>` listeners. */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key.startsWith('on') && typeof value === 'function')
      element.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected') element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

/** "3 s ago", "in 4 min", from an epoch-millisecond time. */
export function relativeTime(at, now = Date.now()) {
  if (at === undefined || at === null) return '—';
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  const text =
    size < 60
      ? `${size} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : size < 86400
          ? `${(size / 3600).toFixed(1)} h`
          : `${(size / 86400).toFixed(1)} d`;
  return seconds <= 0 ? `${text} ago` : `in ${text}`;
}

export function clockTime(at) {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

export function milliseconds(value) {
  if (value === undefined || value === null) return '—';
  return value < 10
    ? `${value.toFixed(2)} ms`
    : value < 1000
      ? `${Math.round(value)} ms`
      : `${(value / 1000).toFixed(2)} s`;
}

export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind ?? text}` }, text);
}

export function firstLine(text) {
  return String(text ?? '').split('\n')[0];
}
