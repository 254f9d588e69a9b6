// A generated site of many medication pages for the search tests
// (search.test.mjs): deterministic, with realistic names and text, so that
// the size of the search index can be measured as it would be on a large
// site. Not a test file itself.

import fs from 'node:fs';
import path from 'node:path';

/** A small seeded generator (mulberry32): the same site on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cap = (w) => w[0].toUpperCase() + w.slice(1);

/** Optimal string alignment distance (the search page's measure of a misspelling). */
export function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const SECTIONS = [
  'What it is and what it is used for',
  'Before starting treatment',
  'Pregnancy and breast-feeding',
  'Dosage',
  'Side effects',
  'Checks and follow-up',
];
const CLASSES = [
  'TNF inhibitor',
  'Interleukin-6 inhibitor',
  'JAK inhibitor',
  'Beta blocker',
  'ACE inhibitor',
  'Statin',
  'Proton pump inhibitor',
  'Anticoagulant',
  'Antibiotic',
  'Antiviral medicine',
  'Corticosteroid',
  'Bisphosphonate',
  'Antihistamine',
  'Antidepressant',
  'Anticonvulsant',
];
const SUFFIXES = ['mab', 'nib', 'pril', 'sartan', 'olol', 'statin', 'azole', 'cillin', 'parin', 'tide', 'vir', 'lukast', 'dronate', 'profen', 'setron'];

/**
 * Writes a site of `pages` medication pages into `root`: site.toml, the
 * home page, the medications section and one page per medicine, each with
 * a generic name, two brand names, an ATC code, a drug class, two or three
 * of 40 conditions, a summary and six sections of text drawn from a
 * vocabulary of 3,000 made-up words (a few used often, most rarely, as in
 * real text). Returns what the queries need: the pages' {file, generic,
 * brands, conditions, words}, the vocabulary (most used first) and the
 * conditions.
 */
export function writeLargeSite(root, pages) {
  const rand = random(20261201);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const syllable = () => pick('bcdfghklmnprstvz') + pick('aeiou') + (rand() < 0.25 ? pick('lnrs') : '');
  const fresh = (seen, make) => {
    for (;;) {
      const w = make();
      if (!seen.has(w.toLowerCase())) {
        seen.add(w.toLowerCase());
        return w;
      }
    }
  };
  const words = new Set();
  const vocabulary = Array.from({ length: 3000 }, () => fresh(words, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, syllable).join('')));
  // Rank r drawn with probability about 1/r.
  const word = () => vocabulary[Math.floor(vocabulary.length ** rand()) - 1];
  const sentence = () => cap(Array.from({ length: 8 + Math.floor(rand() * 9) }, word).join(' ')) + '.';
  const paragraph = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence).join(' ');

  const kinds = ['disease', 'syndrome', 'arthritis', 'fever', 'disorder'];
  const conditionNames = new Set();
  const conditions = Array.from({ length: 40 }, (_, i) => fresh(conditionNames, () => `${cap(vocabulary[100 + Math.floor(rand() * 900)])} ${kinds[i % kinds.length]}`));
  const names = new Set(vocabulary);
  const codes = new Set();
  const digit = () => String(Math.floor(rand() * 10));
  const letter = () => pick('ABCDEFGHJKLMNPRSTVX');

  fs.mkdirSync(path.join(root, 'content', 'medications'), { recursive: true });
  fs.writeFileSync(path.join(root, 'site.toml'), 'title = "Ten thousand medicines"\nbase_url = "https://example.org/"\n');
  fs.writeFileSync(path.join(root, 'content', '_index.md'), '---\ntitle: Ten thousand medicines\n---\nPatient information about medicines.\n');
  fs.writeFileSync(
    path.join(root, 'content', 'medications', '_index.md'),
    '---\ntitle: Medicines A–Z\nsummary: Every medicine of this site.\npage_kind: medication\nsort_by: title\n---\n',
  );
  const out = [];
  for (let i = 0; i < pages; i++) {
    const generic = fresh(names, () => syllable() + syllable() + (rand() < 0.5 ? syllable() : '') + pick(SUFFIXES));
    const brands = [0, 1].map(() => fresh(names, () => cap(syllable() + syllable()) + pick(['x', 'n', 'l', 'ra', 'vo', 'ta', ''])));
    const atc = fresh(codes, () => letter() + digit() + digit() + letter() + letter() + digit() + digit());
    const mine = new Set();
    while (mine.size < 2 + (i % 2)) mine.add(pick(conditions));
    const has = [...mine];
    const drugClass = pick(CLASSES);
    const summary = `${cap(generic)} is a ${drugClass.toLowerCase()} used for ${has.map((c) => c.toLowerCase()).join(' and ')}. ${sentence()}`;
    const body = SECTIONS.map((h) => `## ${h}\n\n${paragraph()}\n`).join('\n');
    const front = [
      '---',
      `title: ${JSON.stringify(cap(generic))}`,
      `generic_name: ${JSON.stringify(generic)}`,
      `brand_names: [${brands.map((b) => JSON.stringify(b)).join(', ')}]`,
      `atc_code: ${atc}`,
      `drug_class: ${JSON.stringify(drugClass)}`,
      `conditions: [${has.map((c) => JSON.stringify(c)).join(', ')}]`,
      `summary: ${JSON.stringify(summary)}`,
      'last_reviewed: 2026-11-01',
      'next_review: 2027-11-01',
      'sources:',
      `  - title: ${JSON.stringify(`${brands[0]}, summary of product characteristics`)}`,
      `    url: https://example.org/spc/${generic}`,
      '---',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'content', 'medications', `${generic}.md`), `${front}\n${body}`);
    out.push({ file: generic, generic, brands, conditions: has, body });
  }
  return { pages: out, vocabulary, conditions };
}
