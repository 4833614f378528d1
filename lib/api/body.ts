// Reading a request body as JSON text, within a size limit, before any parsing.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";

const NON_JSON_TYPES = /(xml|html|multipart|yaml|csv)/i;

/** A body as received: its digest, and its bytes until they are decoded (then they are let go). */
export class JsonBody {
  constructor(
    private bytes: Buffer | null,
    /** sha256 of the bytes, computed while they arrived */
    readonly sha256: string,
  ) {}

  get size(): number {
    return this.bytes?.length ?? 0;
  }

  /** The text, once: the bytes are released so a large report is not held twice. */
  takeText(): string {
    if (!this.bytes) throw new Error("the body was already taken");
    const text = decodeJsonBody(this.bytes);
    freeNow(this.bytes);
    this.bytes = null;
    return text;
  }

  /** The text without taking it (for a few bytes only). */
  peekText(): string {
    return this.bytes ? this.bytes.toString("utf8") : "";
  }

  firstNonSpace(): string | undefined {
    return this.bytes ? firstNonSpace(this.bytes) : undefined;
  }
}

/**
 * Reads a JSON body within the limit. It is not decoded here: an ingest first checks the digest
 * for a duplicate, and only a new report pays for decoding (decodeJsonBody).
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<JsonBody> {
  checkBodyHeaders(request, limitBytes);
  const body = await readLimited(request, limitBytes);
  const first = body.firstNonSpace();
  if (first === undefined) throw new AppError("bad_request", "The body is empty; send the scanner's JSON output");
  // `null` is JSON too: what Trivy before 0.20 wrote when it found nothing.
  if (first === "n" && body.size <= 16 && body.peekText().trim() === "null") return body;
  if (first !== "{" && first !== "[") {
    throw new AppError("unsupported_media_type", `The body is not JSON (it starts with ${JSON.stringify(first)}); send the scanner's JSON output`);
  }
  return body;
}

/** What the headers alone can refuse: a non-JSON content type (415), a declared length over the limit (413). */
export function checkBodyHeaders(request: Request, limitBytes: number): void {
  const contentType = request.headers.get("content-type") ?? "";
  if (NON_JSON_TYPES.test(contentType)) {
    throw new AppError("unsupported_media_type", `Content-Type ${contentType} is not JSON; send the scanner's JSON output`);
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
}

export function decodeJsonBody(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new AppError("bad_request", "The body is not valid UTF-8 text");
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and decodes at once, for bodies that are always processed (runtime events). */
export async function readJsonText(request: Request, limitBytes: number): Promise<string> {
  return (await readJsonBody(request, limitBytes)).takeText();
}

/**
 * Frees a large body's bytes before its text is parsed. By then the buffer has been promoted to
 * V8's old generation, where it would wait for the next major collection: at the peak of a
 * 63 MiB report, its bytes were still held next to its text and document. Detached (moved to a new
 * ArrayBuffer that nothing keeps), they go with the next minor collection, within milliseconds.
 * Only a buffer of its own: a small one may share Node's pool with other buffers.
 */
function freeNow(bytes: Buffer): void {
  if (bytes.buffer.byteLength < OWN_BUFFER_BYTES) return;
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
}
const OWN_BUFFER_BYTES = 1024 * 1024;

function firstNonSpace(bytes: Buffer): string | undefined {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return String.fromCharCode(byte);
  }
  return undefined;
}

/**
 * Reads the body into one buffer. With a declared length, the buffer is allocated once and
 * filled as chunks arrive (no second copy of a large report); without one, chunks are joined.
 */
async function readLimited(request: Request, limitBytes: number): Promise<JsonBody> {
  const hash = createHash("sha256");
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  let presized = Number.isFinite(declared) && declared >= 0 && declared <= limitBytes ? Buffer.allocUnsafe(declared) : null;
  const chunks: Buffer[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.byteLength > limitBytes) {
        await reader.cancel();
        throw tooLarge(limitBytes);
      }
      hash.update(value);
      if (presized && received + value.byteLength > presized.length) {
        // More than declared: fall back to joining chunks.
        chunks.push(presized.subarray(0, received));
        presized = null;
      }
      if (presized) presized.set(value, received);
      else chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      received += value.byteLength;
    }
  }
  const bytes = presized ? presized.subarray(0, received) : Buffer.concat(chunks, received);
  return new JsonBody(bytes, hash.digest("hex"));
}

function tooLarge(limitBytes: number): AppError {
  return new AppError("payload_too_large", `The body is larger than the limit of ${Math.round(limitBytes / 1024 / 1024)} MiB (INGEST_BODY_LIMIT_MB)`);
}
