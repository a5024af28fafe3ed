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

  /** A buffer for several views of the same bytes. */
  bytes(n: number): ArrayBuffer {
    return this.buffer(n);
  }
}

export const PRIVATE_MEMORY = new Memory(false);
