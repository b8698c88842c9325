/** Reading requests and writing responses the way Discord does (JSON, or 204 with no body). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UploadedFile } from "./payloads.ts";

export interface ParsedBody {
  /** Parsed JSON; for multipart uploads, the parsed `payload_json` part. */
  json: unknown;
  files: UploadedFile[];
  raw: string;
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseBody(contentType: string | undefined, buffer: Buffer): ParsedBody {
  const raw = buffer.toString("utf8");
  if (buffer.length === 0) return { json: undefined, files: [], raw };
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType ?? "")?.[2];
  if (boundary) return parseMultipart(buffer, boundary);
  try {
    return { json: JSON.parse(raw), files: [], raw };
  } catch {
    return { json: undefined, files: [], raw };
  }
}

/**
 * discord.js sends attachments as multipart/form-data: a `payload_json` part with the message and
 * one `files[n]` part per file. Only what the fake needs is extracted: the JSON and file metadata.
 */
function parseMultipart(buffer: Buffer, boundary: string): ParsedBody {
  const text = buffer.toString("latin1");
  let json: unknown;
  const files: UploadedFile[] = [];
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const content = part.slice(headerEnd + 4).replace(/\r\n$/, "");
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? "application/octet-stream";
      files.push({ filename, contentType, size: Buffer.byteLength(content, "latin1") });
    } else if (name === "payload_json") {
      json = JSON.parse(Buffer.from(content, "latin1").toString("utf8"));
    }
  }
  return { json, files, raw: `[multipart: ${files.length} file(s)]` };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * A response without a body (204, or a fault with no body) and without a JSON content type:
 * discord.js parses a JSON content type even when the body is empty, and reply() then throws
 * "Unexpected end of JSON input".
 */
export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, headers);
  response.end();
}
