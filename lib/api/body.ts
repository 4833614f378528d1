// Reading a request body as JSON text, within a size limit, before any parsing.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api/errors";

const NON_JSON_TYPES = /(xml|html|multipart|yaml|csv)/i;

export interface JsonBody {
  bytes: Buffer;
  /** sha256 of the bytes, computed while they arrived */
  sha256: string;
}

/**
 * Reads a JSON body within the limit. It is not decoded here: an ingest first checks the digest
 * for a duplicate, and only a new report pays for decoding (decodeJsonBody).
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<JsonBody> {
  const contentType = request.headers.get("content-type") ?? "";
  if (NON_JSON_TYPES.test(contentType)) {
    throw new ApiError("unsupported_media_type", `Content-Type ${contentType} is not JSON; send the scanner's JSON output`);
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const body = await readLimited(request, limitBytes);
  const first = firstNonSpace(body.bytes);
  if (first === undefined) throw new ApiError("bad_request", "The body is empty; send the scanner's JSON output");
  if (first !== "{" && first !== "[") {
    throw new ApiError("unsupported_media_type", `The body is not JSON (it starts with ${JSON.stringify(first)}); send the scanner's JSON output`);
  }
  return body;
}

export function decodeJsonBody(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new ApiError("bad_request", "The body is not valid UTF-8 text");
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and decodes at once, for bodies that are always processed (runtime events). */
export async function readJsonText(request: Request, limitBytes: number): Promise<string> {
  return decodeJsonBody((await readJsonBody(request, limitBytes)).bytes);
}

function firstNonSpace(bytes: Buffer): string | undefined {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return String.fromCharCode(byte);
  }
  return undefined;
}

async function readLimited(request: Request, limitBytes: number): Promise<JsonBody> {
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limitBytes) {
        await reader.cancel();
        throw tooLarge(limitBytes);
      }
      hash.update(value);
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  return { bytes: Buffer.concat(chunks, received), sha256: hash.digest("hex") };
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError("payload_too_large", `The body is larger than the limit of ${Math.round(limitBytes / 1024 / 1024)} MiB (INGEST_BODY_LIMIT_MB)`);
}
