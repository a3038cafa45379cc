/** The OCI runtime-spec JSON schema, as a validator: what a config.json has wrong, one line each. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

/** Where Debian's golang-github-opencontainers-specs-dev puts it (scripts/install-deps.sh installs it). */
export const SCHEMA_DIR = '/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema';

/** The schema is draft-04, hence ajv-draft-04; its definition files are added by name, as it refers to them. */
export function schemaValidator(): (doc: unknown) => string[] {
  if (!existsSync(join(SCHEMA_DIR, 'config-schema.json'))) {
    throw new Error(`${SCHEMA_DIR} is missing: apt-get install golang-github-opencontainers-specs-dev (scripts/install-deps.sh)`);
  }
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv-draft-04') as new (o: object) => {
    addSchema(s: object, key: string): void;
    getSchema(key: string): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] };
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.json'))) {
    const s = JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as Record<string, unknown>;
    delete s.$schema;
    delete s.id;
    ajv.addSchema(s, f);
  }
  const validate = ajv.getSchema('config-schema.json');
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
