package decimerbeam.report;

import java.util.List;

/**
 * One image as review.html shows it.
 *
 * @param status {@code RECOGNIZED} or {@code FAILED}
 * @param agreement the second reader's verdict ({@code SAME}, {@code SAME_WITHOUT_STEREO},
 *     {@code DIFFERENT}, {@code UNKNOWN}), empty without a second opinion
 * @param secondSmiles what the second reader read, empty without one
 * @param thumbnail a {@code data:} URI of the image ({@link Thumbnail}), empty when none
 */
public record ReviewEntry(String image, String status, String smiles, double meanConfidence,
    double minConfidence, List<String> warnings, String trust, String errorKind, String error,
    String agreement, String secondSmiles, String thumbnail) {

  public ReviewEntry {
    warnings = List.copyOf(warnings);
  }

  /** The second reader read another structure (or the same one without its stereo). */
  public boolean disagrees() {
    return agreement.equals("DIFFERENT") || agreement.equals("SAME_WITHOUT_STEREO");
  }
}
