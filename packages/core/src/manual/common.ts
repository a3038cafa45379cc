/** Sections every page has in the same form. */
import { item, items, para, type Section } from './model.js';

/** The pages, by name, with their section: what SEE ALSO refers to. */
export const PAGE_SECTIONS: Readonly<Record<string, 1 | 8>> = {
  zonecfg: 8,
  zoneadm: 8,
  zlogin: 1,
  zonestat: 1,
  zps: 1,
  zpgrep: 1,
  zpkill: 1,
  zprstat: 1,
  zonelab: 1,
};

export function exitStatus(rows: readonly (readonly [string, string])[]): Section {
  return { title: 'Exit status', blocks: [items(rows.map(([code, what]) => item(code, what)))] };
}

/** The other pages (linked to their markdown in docs/commands/) and the guides. */
export function seeAlso(pages: readonly string[], guides: readonly string[] = []): Section {
  const refs = pages.map((p) => `[${p}(${PAGE_SECTIONS[p]})](docs/commands/${p}.md)`);
  const docs = ['docs/reference.md', ...guides, 'docs/architecture.md', 'docs/security.md'].map((d) => `[${d}](${d})`);
  return { title: 'See also', blocks: [para(`${refs.join(', ')}.`), para(`In the source tree: ${docs.join(', ')}.`)] };
}

export function differences(): Section {
  return {
    title: 'Differences from Solaris',
    blocks: [
      para(
        'Zones here are made of Linux namespaces and cgroups, so some behaviour had to differ from Solaris: each place where Linux forced it is gathered in [docs/differences-from-solaris.md](docs/differences-from-solaris.md), ' +
          'and noted where it applies in [docs/reference.md](docs/reference.md).',
      ),
    ],
  };
}
