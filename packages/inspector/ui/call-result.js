// Shows what a call returned: each content block (text, images, audio, resource links, embedded
// resources), the structured content, `isError`, and how long it took — or why it failed.
import { badge, h, milliseconds } from './dom.js';

export function callResult(response, roundTripMs) {
  if (!response.ok) {
    const { error } = response;
    return h(
      'section',
      { class: 'result failed', 'data-outcome': 'failed' },
      h(
        'header',
        {},
        badge('failed'),
        h('code', { class: 'error-code' }, error.code),
        h('span', { class: 'muted' }, ` round trip ${milliseconds(roundTripMs)}`),
      ),
      h('pre', { class: 'error-message' }, error.message),
      error.issues?.length
        ? h(
            'ul',
            { class: 'issues' },
            error.issues.map((issue) => h('li', {}, h('code', {}, issue.path), ` ${issue.message}`)),
          )
        : undefined,
    );
  }
  const { result } = response;
  const outcome = result.isError ? 'tool-error' : 'ok';
  return h(
    'section',
    { class: `result ${outcome}`, 'data-outcome': outcome },
    h(
      'header',
      {},
      badge(result.isError ? 'isError' : 'ok', outcome),
      h(
        'span',
        { class: 'timing' },
        ` ${milliseconds(result.durationMs)} on the server · ${milliseconds(roundTripMs)} round trip`,
      ),
    ),
    result.content.map(contentBlock),
    result.structuredContent
      ? [
          h('div', { class: 'label' }, 'structured content'),
          h('pre', { class: 'structured' }, JSON.stringify(result.structuredContent, null, 2)),
        ]
      : undefined,
    result.content.length === 0 && !result.structuredContent
      ? h('p', { class: 'muted' }, 'The result has no content.')
      : undefined,
  );
}

function contentBlock(block) {
  switch (block.type) {
    case 'text':
      return h('pre', { class: 'content text' }, block.text);
    case 'image':
      return h(
        'figure',
        { class: 'content image' },
        h('img', {
          src: `data:${safeMime(block.mimeType, 'image')};base64,${block.data}`,
          alt: 'image returned by the tool',
        }),
        h('figcaption', {}, block.mimeType),
      );
    case 'audio':
      return h(
        'figure',
        { class: 'content audio' },
        h('audio', { controls: true, src: `data:${safeMime(block.mimeType, 'audio')};base64,${block.data}` }),
        h('figcaption', {}, block.mimeType),
      );
    case 'resource_link':
      return h(
        'div',
        { class: 'content link' },
        h('span', { class: 'label' }, 'resource link '),
        h('code', {}, block.uri),
        block.name ? ` ${block.name}` : '',
        block.description ? h('div', { class: 'hint' }, block.description) : undefined,
      );
    case 'resource': {
      const resource = block.resource ?? {};
      return h(
        'div',
        { class: 'content resource' },
        h('div', {}, h('span', { class: 'label' }, 'resource '), h('code', {}, resource.uri ?? '')),
        resource.text !== undefined
          ? h('pre', {}, resource.text)
          : resource.blob !== undefined
            ? h(
                'p',
                { class: 'muted' },
                `${resource.mimeType ?? 'binary'}, ${Math.round((resource.blob.length * 3) / 4)} bytes`,
              )
            : undefined,
      );
    }
    default:
      return h('pre', { class: 'content other' }, JSON.stringify(block, null, 2));
  }
}

/** Only image/… or audio/… types become data URLs (a server cannot make the page load HTML). */
function safeMime(mimeType, kind) {
  return typeof mimeType === 'string' &&
    new RegExp(`^${kind}/[\\w.+-]+$`).test(mimeType) &&
    mimeType !== 'image/svg+xml'
    ? mimeType
    : 'application/octet-stream';
}
