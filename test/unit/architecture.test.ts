// Layers point one way: pages → server → domain, and db reaches into src only for the pure domain.
// Inside src/server: read models (the page and document models beside src/server's top level, api/,
// feeds/) never import commands, and auth never imports commands (Actor and Tx sit below both, in
// src/server/actor.ts). Only src/config.ts reads the environment (scripts and astro.config.mjs included).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_EXTENSIONS = ['.ts', '.astro', '.mjs'];

interface SourceFile {
  /** Relative to the project root, with forward slashes. */
  path: string;
  source: string;
}

function listSources(dir: string): SourceFile[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE_EXTENSIONS.some((ext) => e.name.endsWith(ext)))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .map((p) => ({ path: p, source: readFileSync(path.join(ROOT, p), 'utf8') }));
}

function readSource(p: string): SourceFile {
  return { path: p, source: readFileSync(path.join(ROOT, p), 'utf8') };
}

// Comments may mention forbidden things ("never Date.now()"); only code counts.
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

function importSpecifiers(code: string): string[] {
  const staticImports = /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  const dynamicImports = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...code.matchAll(staticImports), ...code.matchAll(dynamicImports)].map((m) => m[1]!);
}

/** The project path an import points at, or null for a package. */
function resolveImport(from: string, spec: string): string | null {
  if (spec.startsWith('/')) return path.posix.normalize(spec.slice(1));
  if (spec.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return null;
}

const isUnder = (target: string | null, pattern: RegExp) => target !== null && pattern.test(target);

/** The read side of src/server: the page and document models and their loaders. */
const isReadModel = (file: string) => /^src\/server\/([^/]+\.ts$|api\/|feeds\/)/.test(file);

function findViolations(file: SourceFile): string[] {
  const code = stripComments(file.source);
  const found: string[] = [];
  const flag = (what: string, why: string) => found.push(`${file.path}: ${what} — ${why}`);

  for (const spec of importSpecifiers(code)) {
    const target = resolveImport(file.path, spec);
    if (file.path.startsWith('src/domain/') && !isUnder(target, /^src\/domain\//)) {
      flag(`imports '${spec}'`, 'src/domain may only import inside src/domain');
    }
    if (file.path.startsWith('src/server/') && isUnder(target, /^src\/(pages|actions|middleware)(\/|\.|$)/)) {
      flag(`imports '${spec}'`, 'src/server must not import pages, actions or middleware');
    }
    if (file.path.startsWith('db/') && isUnder(target, /^src(\/|$)/) && !isUnder(target, /^src\/domain\//)) {
      flag(`imports '${spec}'`, 'db may import only the pure src/domain (its vocabulary) from src');
    }
    if (isReadModel(file.path) && isUnder(target, /^src\/server\/commands\//)) {
      flag(`imports '${spec}'`, 'read models never import commands');
    }
    if (file.path.startsWith('src/server/auth/') && isUnder(target, /^src\/server\/commands\//)) {
      flag(`imports '${spec}'`, 'auth never imports commands');
    }
    if (
      file.path.startsWith('src/pages/') &&
      (isUnder(target, /^db(\/|$)/) || /^(drizzle-orm|better-sqlite3)(\/|$)/.test(spec))
    ) {
      flag(`imports '${spec}'`, 'pages call src/server, never the database');
    }
  }
  // Handing the whole environment on to a child process is fine; reading a variable is config's job.
  if (file.path !== 'src/config.ts' && /\bprocess\.env\s*(\.\s*[A-Za-z_$]|\[)|\}\s*=\s*process\.env\b/.test(code)) {
    flag('reads process.env', 'only src/config.ts reads the environment');
  }
  if (file.path.startsWith('src/domain/')) {
    const impure: [RegExp, string][] = [
      [/\bprocess\.env\b/, 'process.env'],
      [/\bDate\.now\s*\(/, 'Date.now()'],
      [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
    ];
    for (const [pattern, name] of impure) {
      if (pattern.test(code)) flag(`uses ${name}`, 'the domain takes the clock and configuration as parameters');
    }
  }
  return found;
}

describe('architecture rules', () => {
  it.each<[string, string, string[]]>([
    ['src/domain/a.ts', "import { b } from './b.ts';\nimport type { C } from '../domain/c.ts';", []],
    ['src/domain/a.ts', "// never Date.now() here\n/* nor process.env */\nconst url = 'https://x.test';", []],
    ['src/domain/a.ts', "import { z } from 'zod';", ["src/domain/a.ts: imports 'zod' — src/domain may only import inside src/domain"]],
    ['src/domain/a.ts', "import fs from 'node:fs';", ["src/domain/a.ts: imports 'node:fs' — src/domain may only import inside src/domain"]],
    [
      'src/domain/a.ts',
      "import {\n  getDb,\n} from '../server/db.ts';",
      ["src/domain/a.ts: imports '../server/db.ts' — src/domain may only import inside src/domain"],
    ],
    ['src/domain/a.ts', 'const t = Date.now();', ['src/domain/a.ts: uses Date.now() — the domain takes the clock and configuration as parameters']],
    ['src/domain/a.ts', 'const d = new Date( );', ['src/domain/a.ts: uses new Date() — the domain takes the clock and configuration as parameters']],
    ['src/domain/a.ts', 'const d = new Date(now);', []],
    ['src/domain/a.ts', 'const tz = process.env.TZ;', [
      'src/domain/a.ts: reads process.env — only src/config.ts reads the environment',
      'src/domain/a.ts: uses process.env — the domain takes the clock and configuration as parameters',
    ]],
    ['scripts/serve.ts', 'const port = Number(process.env.PORT ?? 4321);', ['scripts/serve.ts: reads process.env — only src/config.ts reads the environment']],
    ['scripts/healthcheck.mjs', "const port = process.env['PORT'];", ['scripts/healthcheck.mjs: reads process.env — only src/config.ts reads the environment']],
    ['src/server/a.ts', 'const { SMTP } = process.env;', ['src/server/a.ts: reads process.env — only src/config.ts reads the environment']],
    ['astro.config.mjs', 'const out = process.env.CANDOR_OUT_DIR;', ['astro.config.mjs: reads process.env — only src/config.ts reads the environment']],
    ['scripts/start.mjs', 'spawn(node, args, { env: { ...process.env, CANDOR_OUT_DIR: dist } });', []],
    ['scripts/serve.ts', 'spawnSync(node, args, { env: process.env });', []],
    ['src/config.ts', 'const db = process.env.CANDOR_DB;', []],
    ['src/server/incidents.ts', "import { openIncident } from './commands/open-incident.ts';", ["src/server/incidents.ts: imports './commands/open-incident.ts' — read models never import commands"]],
    ['src/server/feeds/a.ts', "import type { Tx } from '../commands/run-command.ts';", ["src/server/feeds/a.ts: imports '../commands/run-command.ts' — read models never import commands"]],
    ['src/server/api/a.ts', "import { x } from '../commands/x.ts';", ["src/server/api/a.ts: imports '../commands/x.ts' — read models never import commands"]],
    ['src/server/incidents.ts', "import type { Tx } from './actor.ts';", []],
    ['src/server/admin/a.ts', "import { openIncident } from '../commands/open-incident.ts';", []],
    ['src/server/auth/a.ts', "import type { Actor } from '../commands/run-command.ts';", ["src/server/auth/a.ts: imports '../commands/run-command.ts' — auth never imports commands"]],
    ['src/server/auth/a.ts', "import type { Actor } from '../actor.ts';", []],
    ['src/server/a.ts', "import { x } from '../domain/x.ts';\nimport { eq } from 'drizzle-orm';", []],
    ['src/server/a.ts', "export { x } from '../pages/x.ts';", ["src/server/a.ts: imports '../pages/x.ts' — src/server must not import pages, actions or middleware"]],
    ['src/server/a.ts', "const m = await import('../middleware.ts');", ["src/server/a.ts: imports '../middleware.ts' — src/server must not import pages, actions or middleware"]],
    ['src/server/a.ts', "import { a } from '../actions/index.ts';", ["src/server/a.ts: imports '../actions/index.ts' — src/server must not import pages, actions or middleware"]],
    ['db/seed/a.ts', "import { schema } from '../schema.ts';", []],
    ['db/seed/a.ts', "import { config } from '../../src/config.ts';", ["db/seed/a.ts: imports '../../src/config.ts' — db may import only the pure src/domain (its vocabulary) from src"]],
    ['db/schema.ts', "import { INCIDENT_STATUSES } from '../src/domain/status.ts';", []],
    ['src/pages/index.astro', "---\nimport { getStatusPage } from '../server/status-page.ts';\n---", []],
    ['src/pages/index.astro', "---\nimport { openDatabase } from '../../db/client.ts';\n---", ["src/pages/index.astro: imports '../../db/client.ts' — pages call src/server, never the database"]],
    ['src/pages/api/x.ts', "import { eq } from 'drizzle-orm/sql';", ["src/pages/api/x.ts: imports 'drizzle-orm/sql' — pages call src/server, never the database"]],
    ['src/pages/api/x.ts', "import Database from 'better-sqlite3';", ["src/pages/api/x.ts: imports 'better-sqlite3' — pages call src/server, never the database"]],
  ])('%s with %j → %j', (filePath, source, expected) => {
    expect(findViolations({ path: filePath, source })).toEqual(expected);
  });
});

describe('architecture of this project', () => {
  const files = [...listSources('src'), ...listSources('db'), ...listSources('scripts'), readSource('astro.config.mjs')];

  it('finds the sources it checks', () => {
    expect(files.map((f) => f.path)).toContain('src/domain/status.ts');
    expect(files.map((f) => f.path)).toContain('db/schema.ts');
    expect(files.map((f) => f.path)).toContain('scripts/healthcheck.mjs');
  });

  it('has no upward or impure imports', () => {
    const violations = files.flatMap(findViolations);
    expect(violations, `Layer violations:\n${violations.join('\n')}`).toEqual([]);
  });
});
