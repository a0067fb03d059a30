package decimerbeam.inference;

import java.util.Locale;

/**
 * What recognising one image will take at most, estimated from its header before decoding: the
 * Java heap for the decoded samples and DECIMER's intermediate images, and native memory for
 * TensorFlow's tensors (the decoded image, the padded square, the resize) and one model call.
 * Each figure is the sum of every buffer the path allocates, so it bounds what is live at once.
 */
public record WorkingMemory(long heapBytes, long nativeBytes) {

  /** Native memory one running model call adds (measured 38–73 MiB; README "Memory"). */
  public static final long MODEL_CALL_BYTES = InferenceCapacity.PER_INFERENCE_MIB << 20;
  private static final long MODEL_INPUT_BYTES = 512L * 512 * 3 * Float.BYTES;

  public static final WorkingMemory NONE = new WorkingMemory(0, 0);

  public WorkingMemory {
    if (heapBytes < 0 || nativeBytes < 0) {
      throw new IllegalArgumentException("negative working memory " + heapBytes + "/"
          + nativeBytes);
    }
  }

  /** The estimate for an image of {@code encodedBytes} bytes whose header reads {@code h}. */
  public static WorkingMemory of(ImageHeader h, long encodedBytes) {
    long px = Math.multiplyExact(h.width(), h.height());
    long samples = h.rasterBytes();
    // Small images are first upscaled to 512 on their long side (step D).
    long w = h.width();
    long ht = h.height();
    if (w < DecimerPreprocessing.MIN_SIDE && ht < DecimerPreprocessing.MIN_SIDE) {
      double ratio = (double) DecimerPreprocessing.MIN_SIDE / Math.max(w, ht);
      w = Math.max(w, (long) (w * ratio));
      ht = Math.max(ht, (long) (ht * ratio));
    }
    long worked = Math.multiplyExact(w, ht);
    // Step F's square of max(512, 1.2 x the long side); lives only in TensorFlow, one channel.
    long side = Math.max(DecimerPreprocessing.MIN_SIDE, (long) (1.2 * Math.max(w, ht)));
    long square = Math.multiplyExact(side, side);
    long heap = Math.addExact(Math.addExact(encodedBytes, samples),
        Math.addExact(Math.multiplyExact(px, 12L), // RGBA decoded, composited, stretched (A, B)
            Math.addExact(Math.multiplyExact(px, 2L), // gray and its contrast (C)
                Math.addExact(Math.multiplyExact(worked, 3L), // upscale passes, crop (D, E)
                    MODEL_INPUT_BYTES))));
    if (h.format() != ImageFormat.PNG && h.format() != ImageFormat.JPEG) {
      heap = Math.addExact(heap, samples); // ImageIO's BufferedImage next to our copy
    }
    long nat = Math.addExact(Math.addExact(encodedBytes, samples), // TF's copy, decoded tensor
        Math.addExact(square, // the padded square (F, G)
            Math.addExact(Math.multiplyExact(side, 512L * Float.BYTES), // resize intermediate
                MODEL_INPUT_BYTES + MODEL_CALL_BYTES)));
    return new WorkingMemory(heap, nat);
  }

  public WorkingMemory plus(WorkingMemory o) {
    return new WorkingMemory(Math.addExact(heapBytes, o.heapBytes),
        Math.addExact(nativeBytes, o.nativeBytes));
  }

  public long totalBytes() {
    return Math.addExact(heapBytes, nativeBytes);
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", (bytes + (1 << 20) - 1) >> 20);
  }

  public String describe() {
    return mib(heapBytes) + " heap + " + mib(nativeBytes) + " native";
  }
}
