// The order the suite's files start in: the longest first, so that no long file starts last and sets
// the tail alone while the other workers sit idle. Vitest's own order needs its results cache, which
// a clean checkout (CI) lacks; without it vitest starts the largest files first, and the longest file
// (a short loop over every page) started last.
//
// A file's expected time is vitest's cached duration when there is one (a local re-run), else its
// figure in test/durations.json (seconds, from a recorded run: `npm run test:durations` rewrites it
// from a JSON report), else 0, ties broken by size. Files that failed last time still go first.
// The short files of each non-isolated project stay together after the long ones, so that its
// worker processes serve them in turn instead of a new one per file.
import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const DURATIONS_FILE = path.resolve('test/durations.json');

/** Seconds per file (relative to the repository, forward slashes), as recorded. */
export function readDurations(file = DURATIONS_FILE): Map<string, number> {
  if (!fs.existsSync(file)) return new Map();
  return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>));
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const recorded = readDurations();
    const root = this.ctx.config.root;
    const keyed = files.map((spec) => {
      const cached = this.ctx.cache.getTestSpecificationResult(spec);
      const relative = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const ms = cached?.duration ?? (recorded.get(relative) ?? 0) * 1000;
      const size = fs.existsSync(spec.moduleId) ? fs.statSync(spec.moduleId).size : 0;
      // A short file of a non-isolated project runs after the long ones, next to its siblings.
      const shared = spec.project.config.isolate === false;
      return { spec, failed: cached?.failed === true, ms, size, shared };
    });
    const LONG_MS = 5_000;
    const rank = (k: (typeof keyed)[number]) => (k.failed ? 0 : k.ms >= LONG_MS || !k.shared ? 1 : 2);
    // Short shared files by project, so that each project's run of them reuses its workers.
    const project = (k: (typeof keyed)[number]) => (rank(k) === 2 ? k.spec.project.name : '');
    keyed.sort((a, b) =>
      rank(a) - rank(b) || (project(a) < project(b) ? -1 : project(a) > project(b) ? 1 : 0) ||
      b.ms - a.ms || b.size - a.size || (a.spec.moduleId < b.spec.moduleId ? -1 : 1));
    return keyed.map((k) => k.spec);
  }
}
