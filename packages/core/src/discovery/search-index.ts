/**
 * A BM25F index over tool descriptions: each tool is one document with weighted fields (its
 * name counts most, then its server, its description, and its input schema's text). A query word
 * also matches its synonyms at a lower weight; a tool matching more of the query's words, or
 * two of them side by side in its name, ranks higher; a query that is exactly a tool's name puts
 * that tool first. Built once per catalogue, in memory, without I/O.
 */
import { synonymsOf } from './synonyms.js';
import { analyze, splitWords, tokenize } from './tokenize.js';

/** The text of one tool, by field. */
export interface IndexedTool {
  /** The tool's own name and title (the registry's prefix is the server field's business). */
  names: string[];
  /** Every name a query may spell out exactly to get this tool first (registry name included). */
  aliases: string[];
  server: string;
  description: string;
  /** Schema text (`schemaText()`). */
  schema: string[];
}

/** One hit: the document's position in the list given to the index, its score, the query words (as written) it matched. */
export interface IndexHit {
  index: number;
  score: number;
  matched: string[];
}

type FieldName = 'name' | 'server' | 'description' | 'schema';

interface FieldSettings {
  weight: number;
  /** Length normalization (0: none, 1: full). Names are short and similar in length: little. */
  b: number;
}

const fields: Record<FieldName, FieldSettings> = {
  name: { weight: 3, b: 0.3 },
  server: { weight: 1.5, b: 0 },
  description: { weight: 1, b: 0.75 },
  schema: { weight: 0.35, b: 0.75 },
};
const fieldNames = Object.keys(fields) as FieldName[];

const K1 = 1.2;
const SYNONYM_WEIGHT = 0.45;
const ADJACENT_IN_NAME_BONUS = 0.35;
const EXACT_NAME_BONUS = 1_000;

interface Document {
  terms: Record<FieldName, Map<string, number>>;
  lengths: Record<FieldName, number>;
  /** Name terms in order, for the side-by-side bonus. */
  nameSequence: string[][];
  /** Names as `snake_case` words, for exact-name queries. */
  exactNames: Set<string>;
}

export class SearchIndex {
  private readonly documents: Document[];
  private readonly postings = new Map<string, number[]>();
  private readonly averageLengths: Record<FieldName, number>;

  constructor(tools: readonly IndexedTool[]) {
    this.documents = tools.map((tool) => buildDocument(tool));
    const totals: Record<FieldName, number> = { name: 0, server: 0, description: 0, schema: 0 };
    this.documents.forEach((document, index) => {
      const seen = new Set<string>();
      for (const field of fieldNames) {
        totals[field] += document.lengths[field];
        for (const term of document.terms[field].keys()) seen.add(term);
      }
      for (const term of seen) {
        let list = this.postings.get(term);
        if (!list) {
          list = [];
          this.postings.set(term, list);
        }
        list.push(index);
      }
    });
    const count = Math.max(1, this.documents.length);
    this.averageLengths = {
      name: Math.max(1, totals.name / count),
      server: Math.max(1, totals.server / count),
      description: Math.max(1, totals.description / count),
      schema: Math.max(1, totals.schema / count),
    };
  }

  get size(): number {
    return this.documents.length;
  }

  /** Scores every document matching at least one query word (and passing `accept`), best first. */
  search(query: string, accept: (index: number) => boolean = () => true): IndexHit[] {
    const tokens = uniqueQueryTerms(query);
    const words = tokens.map((token) => token.term);
    const exact = splitWords(query).join('_');
    if (words.length === 0 && exact === '') return [];
    const groups = tokens.map(({ word, term }) => ({
      word,
      members: [
        { term, weight: 1 },
        ...synonymsOf(term).map((synonym) => ({ term: synonym, weight: SYNONYM_WEIGHT })),
      ],
    }));

    const candidates = new Set<number>();
    for (const group of groups) {
      for (const member of group.members) {
        for (const index of this.postings.get(member.term) ?? []) candidates.add(index);
      }
    }
    if (exact !== '') {
      this.documents.forEach((document, index) => {
        if (document.exactNames.has(exact)) candidates.add(index);
      });
    }

    const hits: IndexHit[] = [];
    for (const index of candidates) {
      if (!accept(index)) continue;
      const document = this.documents[index]!;
      let score = 0;
      const matched: string[] = [];
      for (const group of groups) {
        let best = 0;
        for (const member of group.members) {
          const termScore = this.termScore(document, member.term) * member.weight;
          if (termScore > best) best = termScore;
        }
        if (best > 0) {
          score += best;
          matched.push(group.word);
        }
      }
      if (groups.length > 0) {
        score *= Math.sqrt(matched.length / groups.length);
        score += this.adjacencyBonus(document, words);
      }
      if (document.exactNames.has(exact)) score += EXACT_NAME_BONUS;
      if (score > 0) hits.push({ index, score, matched });
    }
    hits.sort((left, right) => right.score - left.score || left.index - right.index);
    return hits;
  }

  private idf(term: string): number {
    const documentFrequency = this.postings.get(term)?.length ?? 0;
    const count = this.documents.length;
    return Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** BM25F: field-weighted, length-normalized term frequency, saturated, times the term's rarity. */
  private termScore(document: Document, term: string): number {
    let weighted = 0;
    for (const field of fieldNames) {
      const frequency = document.terms[field].get(term);
      if (!frequency) continue;
      const { weight, b } = fields[field];
      const normalization = 1 - b + (b * document.lengths[field]) / this.averageLengths[field];
      weighted += (weight * frequency) / normalization;
    }
    if (weighted === 0) return 0;
    return (this.idf(term) * (weighted * (K1 + 1))) / (weighted + K1);
  }

  /** Query words that stand side by side in one of the tool's names ("pull request"). */
  private adjacencyBonus(document: Document, words: string[]): number {
    let bonus = 0;
    for (let position = 0; position + 1 < words.length; position++) {
      const first = words[position]!;
      const second = words[position + 1]!;
      const together = document.nameSequence.some((sequence) =>
        sequence.some((term, index) => term === first && sequence[index + 1] === second),
      );
      if (together) bonus += ADJACENT_IN_NAME_BONUS * ((this.idf(first) + this.idf(second)) / 2);
    }
    return bonus;
  }
}

/** The query's terms, each once, with the word it was first written as. */
function uniqueQueryTerms(query: string): { word: string; term: string }[] {
  const seen = new Set<string>();
  return analyze(query).filter((token) => {
    if (seen.has(token.term)) return false;
    seen.add(token.term);
    return true;
  });
}

function buildDocument(tool: IndexedTool): Document {
  const nameSequence = tool.names.map((name) => tokenize(name));
  const texts: Record<FieldName, string[]> = {
    name: nameSequence.flat(),
    server: tokenize(tool.server),
    description: tokenize(tool.description),
    schema: tool.schema.flatMap((part) => tokenize(part)),
  };
  const terms = {} as Document['terms'];
  const lengths = {} as Document['lengths'];
  for (const field of fieldNames) {
    const counts = new Map<string, number>();
    for (const term of texts[field]) counts.set(term, (counts.get(term) ?? 0) + 1);
    terms[field] = counts;
    lengths[field] = texts[field].length;
  }
  return {
    terms,
    lengths,
    nameSequence,
    exactNames: new Set(
      [...tool.names, ...tool.aliases].map((name) => splitWords(name).join('_')).filter(Boolean),
    ),
  };
}
