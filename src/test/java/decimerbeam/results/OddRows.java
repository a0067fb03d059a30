package decimerbeam.results;

import java.util.List;

/**
 * Rows whose fields are hard to carry: non-ASCII names, every optional field set, quotes and
 * newlines in an error, a skipped file. Each format and coder must give them back unchanged.
 */
public final class OddRows {

  public static final List<ImageResult> ROWS = List.of(
      new ImageResult("azfs://acct/plates/é/", "ß 1.png", ImageResult.Status.RECOGNIZED,
          "CN1C=NC2=C1C(=O)N(C)C(=O)N2C", "CN1C=NC2=C1C(=O)N(C)C(=O)N2C",
          "RYYVLZVUVIJVGH-UHFFFAOYSA-N", true, 0.9876, 0.5, 17, true, "", "", 1234, "m"),
      new ImageResult("/d/", "lead.png", ImageResult.Status.RECOGNIZED, "C[Pb]", "C[Pb]", "",
          true, 0.9, 0.4, 3, false, "", "", 5, "m",
          List.of("LOW_CONFIDENCE", "UNUSUAL_ELEMENT", "SECOND_OPINION_DIFFERS"), "low",
          "molvec-0.9.8", "Cc1ccccc1", "YXFVVABEGXRONW-UHFFFAOYSA-N", "DIFFERENT",
          "Cc1ccccc1", "molvec/decimer-unsure", 1_764_460_800_123L),
      ImageResult.failed("/d/", "x.png", "TIMEOUT", "took \"long\"\n", -1, ""),
      ImageResult.skipped("/d/", "notes.txt", "not an image file name"));

  private OddRows() {}
}
