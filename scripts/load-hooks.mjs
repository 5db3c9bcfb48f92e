// Module loading hooks for Candor's command-line scripts and the test suite's processes, loaded with
// `node --import ./scripts/load-hooks.mjs` (package.json's scripts; the suite sets it in NODE_OPTIONS).
//
// Why: drizzle-orm 0.45 lists 627 subpaths in its package.json "exports" (179 KB). Node 22 and 24
// deserialise a package.json again for every module it resolves or loads from that package
// (nodejs/node#58126, open), so importing db/client.ts natively (drizzle's ~200 modules) spent
// about 1.2 s of CPU and 230 MB of memory in package.json parsing alone: 1.3-2.6 s and 296 MB
// in all, against 0.12 s and 62 MB with these hooks. Every script that opens the database paid
// it (user:create, db:backup, export, import, the first start's preparation), and so did every
// test process. The server itself is unaffected: it loads drizzle bundled into Astro's build.
// drizzle-orm 1.0 shrinks the map to two keys (drizzle-team/drizzle-orm#5934); then this file can go.
//
// What the hooks change, only for drizzle-orm (a package of "type": "module", checked here once):
//  - a relative `import` of a .js file between drizzle-orm's own files resolves to the URL next to
//    the importer, as Node's resolver would (relative specifiers never consult "exports"; drizzle's
//    always name the file with its extension), without Node reading the package.json again to find
//    its type (its CommonJS build, .cjs files loaded by require, is left to Node);
//  - its .js files load as ES modules, which is what that package.json's "type" says;
//  - a bare `drizzle-orm/…` specifier imported from outside node_modules (Candor's own code) or
//    from drizzle-orm itself is resolved by Node once per process, then remembered.
// Anything else goes through Node's own resolver and loader untouched.
import fs from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGE = 'drizzle-orm';

/** The file URL of Candor's drizzle-orm folder (ending in /), if it is an ES module package. */
function drizzleModulePackage() {
  try {
    // Its package.json is not among its exports: found from its main file, up.
    let dir = path.dirname(nodeModule.createRequire(import.meta.url).resolve(PACKAGE));
    while (path.basename(dir) !== PACKAGE) {
      if (path.dirname(dir) === dir) return null;
      dir = path.dirname(dir);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return manifest.name === PACKAGE && manifest.type === 'module' ? `${pathToFileURL(dir).href}/` : null;
  } catch {
    return null; // not installed here: nothing to do
  }
}

// module.registerHooks is Node 22.15+ and 24: an older Node (not Candor's own) just goes without.
const ROOT = typeof nodeModule.registerHooks === 'function' ? drizzleModulePackage() : null;

if (ROOT) {
  const resolvedBare = new Map();
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL ?? '';
      const conditions = context.conditions ?? [];
      const inside = parent.startsWith(ROOT);
      if (inside && !conditions.includes('require') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
        return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
      }
      // Another package's own drizzle-orm (node_modules/x/node_modules/drizzle-orm) may differ: not remembered.
      const rememberable = inside || !parent.includes('/node_modules/');
      if (rememberable && (specifier === PACKAGE || specifier.startsWith(`${PACKAGE}/`))) {
        const key = `${inside ? 'inside' : 'app'}\0${specifier}\0${conditions.join(',')}`;
        const remembered = resolvedBare.get(key);
        if (remembered !== undefined) return { ...remembered, shortCircuit: true };
        const resolved = nextResolve(specifier, context);
        resolvedBare.set(key, resolved);
        return resolved;
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (context.format == null && url.startsWith(ROOT) && url.endsWith('.js')) return nextLoad(url, { ...context, format: 'module' });
      return nextLoad(url, context);
    },
  });
}
