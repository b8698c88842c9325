/**
 * The peer's answers in the eval's terms: a Fuse.js top hit mapped to `kind:id` with the same rules
 * the commands apply (src/answers/lookups.ts): /license sends a model to its licence and a family with
 * one licence to that licence; /family sends a model to its family; /term and /ask answer the entry.
 */
import { distinctLicences } from "../src/answers/entries.ts";
import type { EntryKind, KnowledgeBase } from "../src/knowledge/types.ts";

export interface PeerDocument {
  kind: EntryKind;
  id: string;
  name: string;
  aliases: string[];
  summary: string;
}

export function peerAnswerKey(kb: KnowledgeBase, command: string, hit: PeerDocument | undefined): string {
  if (!hit) return "none";
  if (command === "license") {
    if (hit.kind === "model") {
      const licenceId = kb.models.get(hit.id)?.licenceIds[0];
      return licenceId ? `license:${licenceId}` : `model:${hit.id}`;
    }
    if (hit.kind === "family") {
      const family = kb.families.get(hit.id);
      const licences = family ? distinctLicences(kb.licences, family) : [];
      return licences.length === 1 ? `license:${licences[0]!.id}` : `family:${hit.id}`;
    }
  }
  if (command === "family" && hit.kind === "model") return `family:${kb.models.get(hit.id)?.familyId}`;
  return `${hit.kind}:${hit.id}`;
}
