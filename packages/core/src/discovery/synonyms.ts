/**
 * Words people use for the same action or thing in tool catalogues (`remove` for `delete`,
 * `repo` for `repository`, `folder` for `directory`). A query word also looks for its synonyms,
 * at a lower weight than the word itself, so "remove a folder" finds `delete_directory` without
 * ranking it above a tool that says "remove" outright. General vocabulary only: nothing here
 * knows a particular server.
 */
import { stem } from './tokenize.js';

const groups: readonly string[] = [
  'create add new make insert register open',
  'get fetch retrieve read show view lookup load',
  'list enumerate browse all',
  'search find query lookup look locate discover',
  'update edit modify change set patch rename',
  'delete remove erase drop destroy trash purge',
  'send post deliver dispatch notify',
  'email mail inbox gmail',
  'message msg chat dm',
  'user member person people account',
  'file document doc',
  'directory folder dir',
  'repository repo',
  'issue ticket bug',
  'meeting event appointment invite invitation',
  'calendar schedule agenda',
  'weather forecast temperature',
  'forecast tomorrow weekend upcoming',
  'payment charge pay',
  'refund reimburse',
  'invoice bill billing',
  'address location place',
  'geocode coordinate latitude longitude',
  'vacation leave pto holiday absence',
  'sum add plus total addition',
  'image picture photo png',
  'run execute invoke start trigger',
  'stop halt terminate kill cancel',
  'database db sql',
  'kubernetes k8s',
  'log logs output',
  'remember memory knowledge store save',
  'relation relationship link connection',
  'note observation comment',
  'write save store',
  'move relocate rename',
  'copy duplicate clone',
  'upload attach',
  'download export',
  'translate translation',
  'summary summarize',
  'customer client',
  'employee staff worker',
  'alert incident page',
  'deploy release rollout',
];

/** Each stemmed word → its stemmed synonyms (never itself). */
const synonymsByTerm: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, Set<string>>();
  for (const group of groups) {
    const terms = [...new Set(group.split(' ').map(stem))];
    for (const term of terms) {
      let set = map.get(term);
      if (!set) {
        set = new Set();
        map.set(term, set);
      }
      for (const other of terms) if (other !== term) set.add(other);
    }
  }
  return new Map([...map].map(([term, set]) => [term, [...set]]));
})();

/** The synonyms of a stemmed term (empty when it has none). */
export function synonymsOf(term: string): readonly string[] {
  return synonymsByTerm.get(term) ?? [];
}
