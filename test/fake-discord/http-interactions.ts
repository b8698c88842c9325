/**
 * Discord's other way of delivering interactions: an HTTP POST to the application's Interactions
 * Endpoint URL, signed with Ed25519 over timestamp + body (headers X-Signature-Ed25519 and
 * X-Signature-Timestamp). The bot answers in the HTTP response; the fake treats that answer exactly
 * as it treats a callback POSTed to /interactions/{id}/{token}/callback.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { Agent, request } from "undici";

export interface SignedPost {
  status: number;
  /** The parsed JSON answer, or the raw text when it is not JSON. */
  body: unknown;
}

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Sign with another key (a forged request). */
  key?: KeyObject;
  /** Replace the signature with this hex outright. */
  signature?: string;
}

export class InteractionsEndpoint {
  private readonly keys = generateKeyPairSync("ed25519");
  private readonly agent = new Agent({ connections: 64 });
  url: string | null = null;

  /** The raw 32-byte public key, hex: what the developer portal shows as "Public Key". */
  get publicKeyHex(): string {
    const der = this.keys.publicKey.export({ format: "der", type: "spki" });
    return der.subarray(der.length - 32).toString("hex");
  }

  /** The signing headers for a body, as Discord computes them. */
  sign(body: string, options: SignOptions = {}): Record<string, string> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature =
      options.signature ??
      sign(null, Buffer.from(timestamp + body), options.key ?? this.keys.privateKey).toString("hex");
    return { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
  }

  /** POSTs a body to the endpoint (any body: tests send broken ones too) and reads the answer. */
  async post(body: string, options: SignOptions & { headers?: Record<string, string> } = {}): Promise<SignedPost> {
    if (!this.url) throw new Error("FakeDiscord: no interactions endpoint set (useInteractionsEndpoint)");
    const response = await request(this.url, {
      method: "POST",
      dispatcher: this.agent,
      headers: {
        "content-type": "application/json",
        "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
        ...this.sign(body, options),
        ...options.headers,
      },
      body,
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the test reads the text.
    }
    return { status: response.statusCode, body: parsed };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
