package decimerbeam.worker;

import decimerbeam.inference.MolVecOpinion;
import decimerbeam.inference.SecondOpinion;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which second reader, if any, reads every image after DECIMER ({@code --secondOpinion}). */
public enum SecondReader {
  /** No second reading: rows carry DECIMER's answer alone. */
  NONE,
  /** MolVec (pure Java, rule-based): its SMILES, InChIKey and agreement on every row. */
  MOLVEC;

  /** The reader for a worker JVM; empty for {@link #NONE}. */
  Optional<SecondOpinion> create() {
    return this == MOLVEC ? Optional.of(new MolVecOpinion()) : Optional.empty();
  }

  /**
   * Threads of this reader's pool in a worker JVM, where images are read after DECIMER has
   * given back their inference slot: one per core (0 for {@link #NONE}).
   */
  public int threadsPerJvm() {
    return this == NONE ? 0 : Runtime.getRuntime().availableProcessors();
  }

  /** The option's value as written on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code molvec} or {@code none}; anything else is refused with the choices. */
  public static SecondReader parse(String value) {
    for (SecondReader r : values()) {
      if (r.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("--secondOpinion=" + value + " is not one of "
        + Arrays.stream(values()).map(SecondReader::label).toList());
  }
}
