// Rewrites test/durations.json (the order the suite's files start in, see test/support/sequencer.ts)
// from a vitest JSON report:
//   npx vitest run --reporter=json --outputFile=/tmp/report.json && npm run test:durations -- /tmp/report.json
// Files under a second are left out (they count as 0 and start last).
import fs from 'node:fs';
import path from 'node:path';
import { DURATIONS_FILE } from './sequencer.ts';

const report = process.argv[2];
if (!report) {
  console.error('Usage: npm run test:durations -- <vitest JSON report>');
  process.exit(1);
}
const { testResults } = JSON.parse(fs.readFileSync(report, 'utf8')) as {
  testResults: { name: string; startTime: number; endTime: number }[];
};
const seconds = testResults
  .map((r) => [path.relative(process.cwd(), r.name).split(path.sep).join('/'), Math.round((r.endTime - r.startTime) / 1000)] as const)
  .filter(([, s]) => s >= 1)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
fs.writeFileSync(DURATIONS_FILE, `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
console.log(`Wrote ${seconds.length} files to ${path.relative(process.cwd(), DURATIONS_FILE)}`);
