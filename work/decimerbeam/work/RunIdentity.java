package decimerbeam.work;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Who is writing: one id per run, and the model that answers. Rows staged under one model are
 * reused only by runs of the same model over the same listing; a {@code --reprocess} run
 * reuses only rows a reprocessing run staged.
 *
 * @param runId unique per launch of the pipeline
 * @param model the recognizer's identity ({@link decimerbeam.worker.RecognizerFactory#identity()})
 */
public record RunIdentity(String runId, String model) implements Serializable {

  /** A new run of {@code model}. */
  public static RunIdentity start(String model) {
    return new RunIdentity(UUID.randomUUID().toString(), model);
  }

  /** Short form of the run id used in staged file names. */
  public String tag() {
    return runId.replace("-", "").substring(0, 12);
  }

  /**
   * The staging folder name for a directory listed as {@code listingFingerprint}: the same for
   * every run of this model over that listing. A {@code reprocess} run stages under a key of
   * its own, the same for every reprocessing run, so it reuses no rows a plain run staged, yet
   * an interrupted one is resumed by the same command.
   */
  public String stagingKey(String listingFingerprint, boolean reprocess) {
    return sha256(model + "\n" + listingFingerprint + (reprocess ? "\nreprocess" : ""))
        .substring(0, 16);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
