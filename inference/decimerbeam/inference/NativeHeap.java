package decimerbeam.inference;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * glibc's malloc keeps what a process frees in its arenas instead of giving it back, and
 * TensorFlow's threads spread a model over many arenas: a closed model stayed resident, so a
 * TaskManager that loads a model for each job grew by about one model per job. Trimming hands
 * the free pages of every arena back to the system.
 */
public final class NativeHeap {

  private NativeHeap() {}

  /** Gives freed native memory back to the system where the C library can (glibc). */
  public static boolean giveBack() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      return NativeLibrary.getInstance("c").getFunction("malloc_trim")
          .invokeInt(new Object[] {0}) == 1;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false; // another C library (musl): nothing to trim this way
    }
  }
}
