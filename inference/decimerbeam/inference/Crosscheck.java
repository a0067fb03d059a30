package decimerbeam.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a second reader adds to DECIMER's reading of one image: whether the two agree, the
 * warnings that follow from it, and the {@link ReaderChoice} made from both.
 *
 * @param reader the second reader's id; empty when there was none
 * @param smiles the second reader's SMILES; empty when none
 * @param inchiKey the second reader's InChIKey; empty when none
 * @param agreement empty without a second reader
 * @param warnings the codes the comparison adds to the row
 * @param choice the recommended reading, why, and its trust
 */
public record Crosscheck(String reader, String smiles, String inchiKey,
    Optional<Agreement> agreement, List<Warning> warnings, ReaderChoice.Choice choice) {

  public Crosscheck {
    warnings = List.copyOf(warnings);
  }

  /** No second reader: DECIMER's reading is the answer, nothing is added. */
  public static Crosscheck none(DecimerReading decimer) {
    return new Crosscheck("", "", "", Optional.empty(), List.of(),
        ReaderChoice.choose(decimer, Optional.empty()));
  }

  /** Compares a second reading with DECIMER's and chooses between them. */
  public static Crosscheck of(String reader, DecimerReading decimer, SecondReading second) {
    Agreement agreement = second.agreementWith(decimer.inchiKey());
    List<Warning> added = new ArrayList<>();
    second.warning().ifPresent(w -> added.add(Warning.valueOf(w.name())));
    if (agreement == Agreement.DIFFERENT) {
      added.add(Warning.SECOND_OPINION_DIFFERS);
    } else if (agreement == Agreement.SAME_WITHOUT_STEREO) {
      added.add(Warning.SECOND_OPINION_STEREO_DIFFERS);
    }
    return new Crosscheck(reader, second.smiles(), second.inchiKey(), Optional.of(agreement),
        added, ReaderChoice.choose(decimer, Optional.of(second)));
  }

  /** The preferred SMILES ({@code bestSmiles}). */
  public String bestSmiles() {
    return choice.smiles();
  }

  /** DECIMER's warnings followed by this comparison's, each once. */
  public List<Warning> allWarnings(List<Warning> decimerWarnings) {
    List<Warning> all = new ArrayList<>(decimerWarnings);
    warnings.stream().filter(w -> !all.contains(w)).forEach(all::add);
    return all;
  }

  /** The row's trust: the chosen rule's ({@link ChosenFrom#trust()}). */
  public Trust trust() {
    return choice.trust();
  }
}
