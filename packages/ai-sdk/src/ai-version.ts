/**
 * Which shape of tool-result content parts the installed `ai` understands. `ai@7` takes one
 * `file` part with tagged data and warns about the older `image-data` / `file-data` parts;
 * `ai@6` knows only those older parts. `uploadFile` arrived with the tagged file data in 7.0,
 * so its presence tells the two apart without reading `package.json`.
 */
import * as ai from 'ai';

/** `'file'`: `ai@7` content parts; `'legacy'`: `ai@6` (`image-data`, `file-data`). */
export type ContentPartStyle = 'file' | 'legacy';

export const installedContentPartStyle: ContentPartStyle = 'uploadFile' in ai ? 'file' : 'legacy';
