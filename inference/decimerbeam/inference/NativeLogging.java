package decimerbeam.inference;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * TensorFlow's native log lines (CPU features, SavedModel loading steps, oneDNN notes) are
 * written straight to the process's stderr, filtered only by {@code TF_CPP_MIN_LOG_LEVEL} as
 * the native library finds it in the process environment when it first logs. Java cannot
 * change its own environment, so this sets the variable through libc before TensorFlow loads:
 * quiet (3) by default, everything (0) when verbose. A level already in the environment is the
 * user's choice and is kept. Two lines the absl library prints before any filter applies
 * ("All log messages before absl::InitializeLog()", one MLIR note) are out of reach.
 */
public final class NativeLogging {

  static final String VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

  private interface LibC extends Library {
    String getenv(String name);

    int setenv(String name, String value, int overwrite);
  }

  private static LibC libc;

  private NativeLogging() {}

  /** Sets the level unless one is set already; effective only before TensorFlow loads. */
  public static synchronized void configure(boolean verbose) {
    try {
      if (libc == null) {
        libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      }
      if (libc.getenv(VARIABLE) == null) {
        libc.setenv(VARIABLE, verbose ? "0" : "3", 0);
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Without libc access the lines stay; nothing else depends on this.
    }
  }
}
