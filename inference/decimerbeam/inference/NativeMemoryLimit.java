package decimerbeam.inference;

import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP, under TensorFlow Java, refuses native allocations ("Physical memory usage is too
 * high") once the process's resident memory passes {@code org.bytedeco.javacpp.maxPhysicalBytes},
 * by default four times the heap ceiling. A worker with a small heap keeps the model and its
 * images' tensors in native memory, so with a 1 GiB heap that default (4 GiB) is passed while
 * the host still has room, and every image in a decoding batch fails at once. The inference gate
 * and the memory watchdog already hold the JVM to its share of the host; so, unless the user set
 * a limit, this raises JavaCPP's to the host's RAM before JavaCPP loads, and the gate plans with
 * the limit in force, whatever it is.
 */
public final class NativeMemoryLimit {

  static final String PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
  /** JavaCPP also reads the lower-case spelling. */
  static final String PROPERTY_LOWER = "org.bytedeco.javacpp.maxphysicalbytes";

  private NativeMemoryLimit() {}

  /** Raises JavaCPP's limit to the host's RAM unless one is set; effective before it loads. */
  public static synchronized void configure() {
    if (System.getProperty(PROPERTY) == null && System.getProperty(PROPERTY_LOWER) == null) {
      System.setProperty(PROPERTY, Long.toString(InferenceCapacity.hostRamMib() << 20));
    }
  }

  /**
   * Whether {@code e} is JavaCPP refusing native memory (past its limit) rather than the JVM's
   * heap running out: a refusal fails the images that needed the memory; a heap exhausted is
   * the worker's failure, which the runner retries, never a row.
   */
  public static boolean refused(OutOfMemoryError e) {
    String m = e.getMessage();
    return m != null && (m.startsWith("Physical memory usage is too high")
        || m.startsWith("Failed to allocate memory within limits"));
  }

  /** The limit JavaCPP enforces in this JVM, in MiB; 0 when it enforces none. Loads JavaCPP. */
  public static long inForceMib() {
    configure();
    return Math.max(0, Pointer.maxPhysicalBytes()) >> 20;
  }
}
