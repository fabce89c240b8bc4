import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docHeadings, slugOf } from '../support/doc-headings.ts';

/*
 * The "Coming from" table of docs/upgrading.md is how an operator finds what to read: each row
 * lists the sections new after its commit, and the reader reads their row and every row above it.
 * A section missing from its row is a step an upgrading operator never sees.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const TEXT = readFileSync(join(ROOT, 'docs', 'upgrading.md'), 'utf8');
const LINES = TEXT.split('\n');
const OLDER = 'an older commit';

interface Row {
  label: string;
  /** The row's commit, or undefined on the "an older commit" row. */
  commit: string | undefined;
  date: string | undefined;
  anchors: string[];
}

function tableRows(): Row[] {
  const head = LINES.findIndex((line) => line.startsWith('| Coming from |'));
  const rows: Row[] = [];
  for (let i = head + 2; head >= 0 && LINES[i]?.startsWith('| '); i++) {
    const [, label = '', cell = ''] = /^\| (.*?) \| (.*) \|$/.exec(LINES[i] ?? '') ?? [];
    const dated = /^([0-9a-f]{7,40}) \((\d{4}-\d{2}-\d{2})\)$/.exec(label);
    rows.push({
      label,
      commit: dated?.[1],
      date: dated?.[2],
      anchors: [...cell.matchAll(/\]\(#([^)\s]+)\)/g)].map(([, anchor]) => anchor ?? ''),
    });
  }
  return rows;
}

interface Section {
  heading: string;
  anchor: string;
  /** The first commit it applies to, as its "_First applies to …" paragraph names it. */
  commit: string | undefined;
  /** The commit that paragraph says it is new after, if it says so. */
  newAfter: string | undefined;
  /** That paragraph, on one line. */
  firstApplies: string;
}

/** Every dated `## Upgrading to … (yyyy-mm-dd)` section, with the paragraph after its heading. */
function datedSections(): Section[] {
  return LINES.flatMap((line, i) => {
    const heading = /^## (Upgrading to .+ \(\d{4}-\d{2}-\d{2}\))$/.exec(line)?.[1];
    if (!heading) return [];
    let start = i + 1;
    while (LINES[start] === '') start++;
    let end = start;
    while (LINES[end]) end++;
    const firstApplies = LINES.slice(start, end).join(' ');
    const newAfter = /new after ([0-9a-f]{7,40})\b/.exec(firstApplies)?.[1];
    const commit = /^_First applies to ([0-9a-f]{7,40})\b/.exec(firstApplies)?.[1];
    return [{ heading, anchor: slugOf(heading), commit, newAfter, firstApplies }];
  });
}

const rows = tableRows();
const dated = rows.filter((row) => row.commit);
const sections = datedSections();

describe('the "Coming from" table of docs/upgrading.md', () => {
  it('is found, with its rows and the sections it points to', () => {
    expect(dated.length).toBeGreaterThan(10);
    expect(sections.filter((s) => s.newAfter).length).toBeGreaterThan(100);
  });

  it('lists in each row exactly the sections new after its commit, in the order of the file', () => {
    const wrong = dated.flatMap(({ commit, anchors }) => {
      const wanted = sections.filter((s) => s.newAfter === commit).map((s) => s.anchor);
      return [
        ...wanted
          .filter((anchor) => !anchors.includes(anchor))
          .map((anchor) => `row ${commit} does not link #${anchor}`),
        ...anchors
          .filter((anchor) => !wanted.includes(anchor))
          .map((anchor) => `row ${commit} links #${anchor}, which is not new after ${commit}`),
        ...(anchors.length === new Set(anchors).size ? [] : [`row ${commit} links a section twice`]),
      ];
    });
    expect(wrong).toEqual([]);
    const order = dated.flatMap(({ commit, anchors }) => {
      const wanted = sections.filter((s) => s.newAfter === commit).map((s) => s.anchor);
      return wanted.join() === anchors.join() || anchors.length !== wanted.length
        ? []
        : [`row ${commit} lists its sections in another order than the file`];
    });
    expect(order).toEqual([]);
  });

  it('has a row for each commit a section says it is new after', () => {
    const commits = new Set(dated.map((row) => row.commit));
    const orphans = sections.flatMap(({ heading, newAfter }) =>
      newAfter && !commits.has(newAfter)
        ? [`"${heading}" is new after ${newAfter}: add a row | ${newAfter} (date) | … | at the table's top`]
        : [],
    );
    expect(orphans).toEqual([]);
  });

  it('says for each dated section which commit it is new after, or which it is in already', () => {
    const vague = sections.flatMap(({ heading, newAfter, firstApplies }) =>
      newAfter || /^_First applies to [0-9a-f]{7,40}\b.*\bin [0-9a-f]{7,40} already\b/.test(firstApplies)
        ? []
        : [`"${heading}": its line should say "_First applies to <hash> (…): new after <hash>._"`],
    );
    expect(vague).toEqual([]);
  });

  it('puts no section in the row of a commit that holds it already', () => {
    // Exit 0: an ancestor, so the row's operators have it. A hash git does not know (a helper's,
    // before the integrator maps it to main's) is left to the other checks.
    const held = sections.flatMap(({ heading, commit, newAfter }) =>
      commit &&
      newAfter &&
      spawnSync('git', ['merge-base', '--is-ancestor', commit, newAfter], { cwd: ROOT }).status === 0
        ? [`"${heading}": ${commit} is in ${newAfter} already`]
        : [],
    );
    expect(held).toEqual([]);
  });

  it('links only headings of the file', () => {
    const anchors = new Set(docHeadings('upgrading.md').map(slugOf));
    const broken = rows.flatMap(({ label, anchors: linked }) =>
      linked.filter((anchor) => !anchors.has(anchor)).map((anchor) => `${label}: no heading #${anchor}`),
    );
    expect(broken).toEqual([]);
  });

  it('lists its commits newest first, and the "an older commit" row last', () => {
    expect(rows.at(-1)?.label).toBe(OLDER);
    expect(rows.filter((row) => !row.commit).map((row) => row.label)).toEqual([OLDER]);
    const dates = dated.map((row) => row.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    // Dates tie within a day: the history orders those, each row's commit an ancestor of the one above.
    const misordered = dated.slice(1).flatMap(({ commit }, i) => {
      const newer = dated[i]?.commit ?? '';
      try {
        execFileSync('git', ['merge-base', '--is-ancestor', commit ?? '', newer], {
          cwd: ROOT,
          stdio: 'ignore',
        });
        return [];
      } catch {
        return [`${commit} is not in ${newer}, the row above it`];
      }
    });
    expect(misordered).toEqual([]);
  });
});
