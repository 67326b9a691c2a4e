/**
 * Text → search terms, the same way for tool catalogues and for queries: identifiers are split at
 * snake_case, kebab-case, dots and camelCase boundaries (`getPullRequest`, `HTTPServer`,
 * `list-files`), words are lower-cased, common English function words dropped, and a light,
 * deterministic stemmer folds plurals and verb forms (`issues`/`issue`, `created`/`creating`/
 * `create`) so a query need not use the tool's exact wording.
 */

const stopWords = new Set(
  (
    'a an the to of for in on at by with from into onto and or but not no is are was were be been ' +
    'being am do does did done this that these those it its i me my mine we us our you your yours ' +
    'he she they them their his her please can could would should will shall may might must want ' +
    'need like some any how what which who whom whose where when why there here so then than also ' +
    'just very too via per about using use used e g etc one'
  ).split(' '),
);

/** Splits text into lower-case words: identifiers at case, digit and punctuation boundaries. */
export function splitWords(text: string): string[] {
  const spaced = text
    // `getHTTPResponse` → `get HTTP Response`; `pullRequest` → `pull Request`
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    // `s3bucket` stays one word, but `v2` and `file2` split from their digits only at a case change
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .toLowerCase();
  return spaced.split(' ').filter((word) => word.length > 0);
}

/** Folds a lower-case word to its stem (plurals, -ing, -ed, -ation, a trailing e or y). */
export function stem(word: string): string {
  let result = word;
  if (result.length <= 3 || /\d/.test(result)) return result;
  if (result.endsWith("'s")) result = result.slice(0, -2);
  if (result.endsWith('ies') && result.length > 4) result = result.slice(0, -2);
  else if (result.endsWith('sses')) result = result.slice(0, -2);
  else if (result.endsWith('xes') || result.endsWith('ches') || result.endsWith('shes'))
    result = result.slice(0, -2);
  else if (result.endsWith('s') && !/(ss|us|is)$/.test(result)) result = result.slice(0, -1);
  if (result.endsWith('ation') && result.length > 7) result = result.slice(0, -3);
  else if (result.endsWith('ing') && result.length - 3 >= 4) result = undouble(result.slice(0, -3));
  else if (result.endsWith('ed') && result.length - 2 >= 3 && !result.endsWith('eed'))
    result = undouble(result.slice(0, -2));
  if (result.endsWith('e') && result.length > 3) result = result.slice(0, -1);
  // `query`/`queries`, `policy`/`policies`, `copy`/`copied` meet at `-i`.
  else if (result.endsWith('y') && result.length > 3) result = `${result.slice(0, -1)}i`;
  return result;
}

function undouble(word: string): string {
  const last = word.at(-1);
  if (last && word.at(-2) === last && !'lsz'.includes(last)) return word.slice(0, -1);
  return word;
}

/** Words of `text` without stop words, stemmed: the terms an index stores and a query asks for. */
export function tokenize(text: string): string[] {
  return analyze(text).map((token) => token.term);
}

/** Like `tokenize`, keeping each term's word as written (lower-cased). */
export function analyze(text: string): { word: string; term: string }[] {
  const tokens: { word: string; term: string }[] = [];
  for (const word of splitWords(text)) {
    if (stopWords.has(word)) continue;
    tokens.push({ word, term: stem(word) });
  }
  return tokens;
}
