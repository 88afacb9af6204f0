/**
 * Reads the key-value metadata and tensor shapes of a GGUF file (format version 2 or 3,
 * little-endian), which is all `/api/show` and `/api/tags` need. Parsing the header
 * directly takes milliseconds, where importing node-llama-cpp to do it takes about a
 * second: too slow for a worker's readiness probe against a scripted server.
 */

/** What the server reports about a GGUF file. */
export interface GgufSummary {
  /** Metadata by its dotted GGUF key (`general.architecture`, `llama.context_length`). */
  metadata: Map<string, unknown>;
  /** Total number of weights over all tensors. */
  parameterCount: number;
}

const ValueType = {
  Uint8: 0,
  Int8: 1,
  Uint16: 2,
  Int16: 3,
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  Uint64: 10,
  Int64: 11,
  Float64: 12,
} as const;

const MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32

/**
 * Parses a GGUF header. Throws when the buffer is not GGUF or ends inside the header.
 */
export function parseGguf(buffer: Buffer): GgufSummary {
  const reader = new Reader(buffer);
  if (reader.u32() !== MAGIC) throw new Error("not a GGUF file");
  const version = reader.u32();
  if (version < 2) throw new Error(`GGUF version ${version} is not supported`);
  const tensorCount = reader.u64();
  const kvCount = reader.u64();

  const metadata = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i += 1) {
    const key = reader.string();
    metadata.set(key, reader.value(reader.u32()));
  }

  let parameterCount = 0;
  for (let i = 0; i < tensorCount; i += 1) {
    reader.string(); // name
    const dimensions = reader.u32();
    let elements = 1;
    for (let d = 0; d < dimensions; d += 1) elements *= reader.u64();
    reader.u32(); // ggml type
    reader.u64(); // data offset
    parameterCount += elements;
  }
  return { metadata, parameterCount };
}

class Reader {
  #offset = 0;

  constructor(private readonly buffer: Buffer) {}

  u32(): number {
    const value = this.buffer.readUInt32LE(this.#offset);
    this.#offset += 4;
    return value;
  }

  u64(): number {
    const value = Number(this.buffer.readBigUInt64LE(this.#offset));
    this.#offset += 8;
    return value;
  }

  string(): string {
    const length = this.u64();
    const end = this.#offset + length;
    if (end > this.buffer.length)
      throw new RangeError("GGUF string runs past the end of the buffer");
    const value = this.buffer.toString("utf8", this.#offset, end);
    this.#offset = end;
    return value;
  }

  value(type: number): unknown {
    const b = this.buffer;
    const at = this.#offset;
    switch (type) {
      case ValueType.Uint8:
        this.#offset += 1;
        return b.readUInt8(at);
      case ValueType.Int8:
        this.#offset += 1;
        return b.readInt8(at);
      case ValueType.Uint16:
        this.#offset += 2;
        return b.readUInt16LE(at);
      case ValueType.Int16:
        this.#offset += 2;
        return b.readInt16LE(at);
      case ValueType.Uint32:
        return this.u32();
      case ValueType.Int32:
        this.#offset += 4;
        return b.readInt32LE(at);
      case ValueType.Float32:
        this.#offset += 4;
        return b.readFloatLE(at);
      case ValueType.Bool:
        this.#offset += 1;
        return b.readUInt8(at) !== 0;
      case ValueType.String:
        return this.string();
      case ValueType.Array: {
        const itemType = this.u32();
        const count = this.u64();
        const items: unknown[] = [];
        for (let i = 0; i < count; i += 1) items.push(this.value(itemType));
        return items;
      }
      case ValueType.Uint64:
        return this.u64();
      case ValueType.Int64:
        this.#offset += 8;
        return Number(b.readBigInt64LE(at));
      case ValueType.Float64:
        this.#offset += 8;
        return b.readDoubleLE(at);
      default:
        throw new Error(`unknown GGUF value type ${type}`);
    }
  }
}
