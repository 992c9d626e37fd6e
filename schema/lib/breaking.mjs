import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { CheckFailure, UsageError } from './errors.mjs';

export const ACKNOWLEDGED_FILE = 'breaking-changes.acknowledged.json';

const LEVELS = [
  { level: CriticalityLevel.Breaking, title: 'breaking', mark: '✖' },
  { level: CriticalityLevel.Dangerous, title: 'dangerous', mark: '⚠' },
  { level: CriticalityLevel.NonBreaking, title: 'safe', mark: '✔' },
];

function git(repoRoot, args) {
  const result = spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new UsageError(`git could not run: ${result.error.message}`);
  return result;
}

/** `schema/api.graphql` as committed at `ref`, or undefined when that commit has none. */
export function apiSchemaAt(repoRoot, ref) {
  if (ref.startsWith('-') || git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).status !== 0) {
    throw new UsageError(`"${ref}" is not a commit in ${repoRoot}`);
  }
  const show = git(repoRoot, ['show', `${ref}:schema/api.graphql`]);
  return show.status === 0 ? show.stdout : undefined;
}

/**
 * Acknowledgements: [{ "coordinate": "Product.name", "change": "FIELD_REMOVED", "reason": "..." }].
 * `coordinate` is graphql-inspector's path; `change` is optional and narrows to one change type.
 */
export function loadAcknowledgements(schemaDir) {
  const file = join(schemaDir, ACKNOWLEDGED_FILE);
  if (!existsSync(file)) return [];
  let list;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read schema/${ACKNOWLEDGED_FILE}: ${error.message}`);
  }
  const valid = (a) =>
    a && typeof a.coordinate === 'string' && a.coordinate !== '' && typeof a.reason === 'string' && a.reason.trim() !== '' &&
    (a.change === undefined || typeof a.change === 'string');
  if (!Array.isArray(list) || !list.every(valid)) {
    throw new UsageError(`schema/${ACKNOWLEDGED_FILE} must be an array of { "coordinate", "change"?, "reason" } with a non-empty reason`);
  }
  return list;
}

function parseSchema(sdl, label) {
  try {
    return buildSchema(sdl);
  } catch (error) {
    throw new CheckFailure(`${label} is not a valid schema: ${error.message}`);
  }
}

/** Every change from `oldSdl` to `newSdl`, classified, with breaking ones matched to acknowledgements. */
export async function classifyChanges(oldSdl, newSdl, acknowledgements, labels = { old: 'old schema', new: 'new schema' }) {
  const changes = await diff(parseSchema(oldSdl, labels.old), parseSchema(newSdl, labels.new));
  const used = new Set();
  const classified = changes.map((change) => {
    const coordinate = change.path ?? '';
    const acknowledgement =
      change.criticality.level === CriticalityLevel.Breaking
        ? acknowledgements.find((a) => a.coordinate === coordinate && (a.change === undefined || a.change === change.type))
        : undefined;
    if (acknowledgement) used.add(acknowledgement);
    return { level: change.criticality.level, type: change.type, coordinate, message: change.message, reason: change.criticality.reason, acknowledgement };
  });
  return { changes: classified, unused: acknowledgements.filter((a) => !used.has(a)) };
}

export function formatChanges({ changes, unused }, ref) {
  if (changes.length === 0) return [`schema/api.graphql has no changes against ${ref}.`];
  const lines = [`schema/api.graphql against ${ref}:`];
  for (const { level, title, mark } of LEVELS) {
    const group = changes.filter((c) => c.level === level);
    if (group.length === 0) continue;
    lines.push('', `${title} (${group.length}):`);
    for (const change of group) {
      lines.push(`  ${mark} ${change.type} ${change.coordinate}: ${change.message}`);
      if (change.acknowledgement) lines.push(`      acknowledged: ${change.acknowledgement.reason}`);
      else if (change.reason) lines.push(`      ${change.reason}`);
    }
  }
  for (const a of unused) lines.push('', `note: acknowledgement ${a.change ?? '*'} ${a.coordinate} matches no breaking change against ${ref}`);
  return lines;
}

export function unacknowledgedBreaking({ changes }) {
  return changes.filter((c) => c.level === CriticalityLevel.Breaking && !c.acknowledgement);
}
