package decimerbeam.inference;

import static decimerbeam.inference.CachedDecoderModel.CROSS_ROW;
import static decimerbeam.inference.CachedDecoderModel.DEPTH;
import static decimerbeam.inference.CachedDecoderModel.ENCODER_POSITIONS;
import static decimerbeam.inference.CachedDecoderModel.HEADS;
import static decimerbeam.inference.CachedDecoderModel.MAX_LENGTH;
import static decimerbeam.inference.CachedDecoderModel.PLANES;
import static decimerbeam.inference.CachedDecoderModel.SELF_ROW;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * The native tensors a cached-decoder step reads, one row (slot) per in-flight image: its
 * self-attention cache, its cross-attention keys/values and its key mask. They stay in place
 * across steps (TensorFlow reads fed tensors without copying them); a step's new cache rows are
 * written into them here, so a step copies only what it adds.
 */
final class DecoderSlots implements AutoCloseable {

  private static final int ZERO_CHUNK = 1 << 16;
  private static final float[] ZEROS = new float[ZERO_CHUNK];

  private final int capacity;
  final TFloat32 selfKv;
  final TFloat32 crossKv;
  final TFloat32 keyMask;
  private final FloatDataBuffer self;
  private final FloatDataBuffer cross;
  private final FloatDataBuffer mask;

  /** {@code capacity} zeroed slots: a free slot must never hold NaN garbage. */
  DecoderSlots(int capacity) {
    this.capacity = capacity;
    this.selfKv = TFloat32.tensorOf(Shape.of(PLANES, capacity, HEADS, MAX_LENGTH, DEPTH));
    this.crossKv = TFloat32.tensorOf(Shape.of(PLANES, capacity, HEADS, ENCODER_POSITIONS, DEPTH));
    this.keyMask = TFloat32.tensorOf(Shape.of(capacity, MAX_LENGTH));
    this.self = selfKv.asRawTensor().data().asFloats();
    this.cross = crossKv.asRawTensor().data().asFloats();
    this.mask = keyMask.asRawTensor().data().asFloats();
    zero(self);
    zero(cross);
    zero(mask);
  }

  int capacity() {
    return capacity;
  }

  private static void zero(FloatDataBuffer b) {
    for (long at = 0; at < b.size(); at += ZERO_CHUNK) {
      b.offset(at).write(ZEROS, 0, (int) Math.min(ZERO_CHUNK, b.size() - at));
    }
  }

  /** Gives {@code slot} to an image: its encoding [12,1,8,256,64] and a clear key mask. */
  void load(int slot, TFloat32 encoded) {
    FloatDataBuffer src = encoded.asRawTensor().data().asFloats();
    for (int p = 0; p < PLANES; p++) {
      src.slice((long) p * CROSS_ROW, CROSS_ROW)
          .copyTo(cross.slice(((long) p * capacity + slot) * CROSS_ROW, CROSS_ROW), CROSS_ROW);
    }
    mask.slice((long) slot * MAX_LENGTH, MAX_LENGTH).write(ZEROS, 0, MAX_LENGTH);
  }

  /**
   * Writes what a step computed for {@code slot} at {@code position}: its key/value rows from
   * {@code newKv} [12,capacity,8,64], and whether that token was {@code <pad>} (masked later).
   */
  void append(int slot, int position, float[] newKv, boolean padToken) {
    for (int p = 0; p < PLANES; p++) {
      for (int h = 0; h < HEADS; h++) {
        int from = ((p * capacity + slot) * HEADS + h) * DEPTH;
        long to = ((long) p * capacity + slot) * SELF_ROW + ((long) h * MAX_LENGTH + position) * DEPTH;
        self.offset(to).write(newKv, from, DEPTH);
      }
    }
    mask.setFloat(padToken ? 1f : 0f, (long) slot * MAX_LENGTH + position);
  }

  /**
   * Makes {@code to} continue what {@code from} decoded: its cache rows and key mask at
   * positions {@code 0 .. length-1}. Later positions of {@code to} keep stale rows, which the
   * step masks (it attends only to slots before a row's position).
   */
  void copyPrefix(int from, int to, int length) {
    long n = (long) length * DEPTH;
    for (int p = 0; p < PLANES; p++) {
      for (int h = 0; h < HEADS; h++) {
        long head = (long) h * MAX_LENGTH * DEPTH;
        self.slice(((long) p * capacity + from) * SELF_ROW + head, n)
            .copyTo(self.slice(((long) p * capacity + to) * SELF_ROW + head, n), n);
      }
    }
    mask.slice((long) from * MAX_LENGTH, length)
        .copyTo(mask.slice((long) to * MAX_LENGTH, length), length);
  }

  /** Native bytes the slots of this capacity hold. */
  static long bytes(int capacity) {
    return 4L * capacity * (PLANES * ((long) SELF_ROW + CROSS_ROW) + MAX_LENGTH);
  }

  @Override
  public void close() {
    selfKv.close();
    crossKv.close();
    keyMask.close();
  }
}
