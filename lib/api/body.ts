// Reading a request body as JSON text, within a size limit, before any parsing.
import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api/errors";

const NON_JSON_TYPES = /(xml|html|multipart|yaml|csv)/i;

export interface JsonBody {
  text: string;
  /** sha256 of the bytes, computed while they arrived */
  sha256: string;
}

export async function readJsonText(request: Request, limitBytes: number): Promise<JsonBody> {
  const contentType = request.headers.get("content-type") ?? "";
  if (NON_JSON_TYPES.test(contentType)) {
    throw new ApiError("unsupported_media_type", `Content-Type ${contentType} is not JSON; send the scanner's JSON output`);
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const { text, sha256 } = await readLimited(request, limitBytes);
  const first = text.match(/\S/)?.[0];
  if (first === undefined) throw new ApiError("bad_request", "The body is empty; send the scanner's JSON output");
  if (first !== "{" && first !== "[") {
    throw new ApiError("unsupported_media_type", `The body is not JSON (it starts with ${JSON.stringify(first)}); send the scanner's JSON output`);
  }
  return { text, sha256 };
}

async function readLimited(request: Request, limitBytes: number): Promise<JsonBody> {
  const hash = createHash("sha256");
  if (!request.body) return { text: "", sha256: hash.digest("hex") };
  const reader = request.body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parts: string[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limitBytes) {
        await reader.cancel();
        throw tooLarge(limitBytes);
      }
      hash.update(value);
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof TypeError) throw new ApiError("bad_request", "The body is not valid UTF-8 text");
    throw error;
  }
  return { text: parts.join(""), sha256: hash.digest("hex") };
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError("payload_too_large", `The body is larger than the limit of ${Math.round(limitBytes / 1024 / 1024)} MiB (INGEST_BODY_LIMIT_MB)`);
}
