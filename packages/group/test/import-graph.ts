import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Static imports, re-exports, side-effect imports and dynamic imports with a literal specifier.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/**
 * Every bare module (package name) that loading `entry` loads, following relative imports (a `.js` specifier may
 * name a `.ts` source) and the given workspace packages through their resolved entry files. Comments are not
 * stripped, so a specifier quoted in a comment counts too: the check errs on the side of failing.
 */
export function loadedPackages(
  entry: string,
  follow: (specifier: string) => string | undefined,
): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8').replace(/^\s*import\s+type\b.*$/gm, '');
    for (const [, specifier] of text.matchAll(IMPORT)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        const ts = target.replace(/\.js$/, '.ts');
        visit(existsSync(target) ? target : ts);
        continue;
      }
      const followed = follow(specifier);
      if (followed !== undefined) visit(followed);
      else
        bare.add(
          specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!,
        );
    }
  };
  visit(entry);
  return bare;
}

/** The file a URL from `import.meta.resolve` names. */
export const pathOf = (url: string): string => fileURLToPath(url);
