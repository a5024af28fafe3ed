// Where a run's arrays live: ordinary memory, or shared memory that worker threads can read and
// write in place, so that a large run can be split over threads without copying its state.

export class Memory {
  constructor(readonly shared: boolean) {}

  private buffer(bytes: number): ArrayBuffer {
    return (this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)) as ArrayBuffer;
  }

  f64(n: number): Float64Array {
    return new Float64Array(this.buffer(n * 8));
  }

  f32(n: number): Float32Array {
    return new Float32Array(this.buffer(n * 4));
  }

  i32(n: number): Int32Array {
    return new Int32Array(this.buffer(n * 4));
  }

  u16(n: number): Uint16Array {
    return new Uint16Array(this.buffer(n * 2));
  }

  u8(n: number): Uint8Array {
    return new Uint8Array(this.buffer(n));
  }

  /**
   * A buffer of at least `n` bytes that starts on a cache line, for records read at random a
   * cache line at a time. The allocator aligns large buffers to 16 bytes only, so a 64-byte record
   * would straddle two lines, and on threads share them with its neighbours (measured: random
   * record writes 15-20% slower). WebAssembly memory starts on a page; small buffers stay in a
   * core's caches, where straddling costs little, and are allocated as usual.
   */
  lines(n: number): ArrayBuffer {
    if (n < PAGE) return this.buffer(n);
    const pages = Math.ceil(n / PAGE);
    try {
      return new wasm.Memory({ initial: pages, maximum: pages, shared: this.shared }).buffer;
    } catch {
      return this.buffer(n);
    }
  }
}

/** Node's WebAssembly, as far as used here: the ES library's types leave it out. */
const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBuffer } } }).WebAssembly;

/** WebAssembly's page, also the size from which `lines` aligns a buffer. */
const PAGE = 1 << 16;

export const PRIVATE_MEMORY = new Memory(false);
