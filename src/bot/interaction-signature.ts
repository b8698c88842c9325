import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo: what turns Discord's raw 32-byte key into a key object. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** How far a request's timestamp may be from our clock before it is refused as a replay. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureCheck = "valid" | "missing" | "invalid" | "stale";

/** The application's Public Key from the developer portal (64 hex characters), ready for verifying. */
export function interactionPublicKey(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/**
 * Checks Discord's Ed25519 signature over timestamp + raw body, as Discord requires of every
 * Interactions Endpoint: anything unsigned, forged or replayed later is refused before it is read.
 * The verification runs in libuv's thread pool (node:crypto's callback form), off the event loop
 * that answers the interactions.
 */
export async function checkInteractionSignature(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: Buffer,
  nowSeconds: number = Date.now() / 1000,
): Promise<SignatureCheck> {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return "missing";
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return "invalid";
  const signed = Buffer.concat([Buffer.from(timestamp), body]);
  const valid = await new Promise<boolean>((resolve) =>
    verify(null, signed, key, Buffer.from(signature, "hex"), (error, result) => resolve(!error && result)),
  );
  if (!valid) return "invalid";
  return Math.abs(nowSeconds - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS ? "stale" : "valid";
}
