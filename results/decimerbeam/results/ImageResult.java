package decimerbeam.results;

import java.util.List;

/**
 * One row of a directory's {@code results.jsonl}: what happened to one image. Exactly one per
 * listed image; files without an image extension become {@link Status#SKIPPED} and are named in
 * the directory summary instead.
 *
 * @param warnings codes of {@link decimerbeam.inference.Warning} for a RECOGNIZED row, empty
 *     otherwise (and on rows written before warnings existed)
 * @param trust {@code high}, {@code medium} or {@code low} for a RECOGNIZED row, else empty
 * @param secondOpinion the second reader and its version (e.g. {@code molvec-0.9.8}); empty
 *     when none read the image
 * @param secondSmiles the second reader's canonical SMILES; empty when it found none
 * @param secondInchiKey the second reader's standard InChIKey; empty when none
 * @param agreement how the two readings compare ({@link decimerbeam.inference.Agreement}:
 *     SAME, SAME_WITHOUT_STEREO, DIFFERENT, UNKNOWN); empty without a second opinion
 * @param bestSmiles the SMILES the documented choice rule prefers ({@link
 *     decimerbeam.inference.ReaderChoice}); DECIMER's without a second opinion
 * @param chosenFrom which reading {@code bestSmiles} is, and why ({@link
 *     decimerbeam.inference.ChosenFrom}: {@code consensus}, {@code molvec/stereo}, {@code
 *     decimer/sure}, ...);
 *     empty on rows that are not RECOGNIZED and on rows from before the field
 * @param finishedAt when the row was made, epoch milliseconds; 0 on rows from before the field
 * @param thumbnail a small picture of the image as a {@code data:} URI for review.html, empty
 *     when none could be made; staged and carried between steps, never in results.jsonl
 */
public record ImageResult(
    String directory,
    String image,
    Status status,
    String smiles,
    String canonicalSmiles,
    String inchiKey,
    boolean valid,
    double meanConfidence,
    double minConfidence,
    int tokens,
    boolean truncated,
    String errorKind,
    String error,
    long durationMillis,
    String modelId,
    List<String> warnings,
    String trust,
    String secondOpinion,
    String secondSmiles,
    String secondInchiKey,
    String agreement,
    String bestSmiles,
    String chosenFrom,
    long finishedAt,
    String thumbnail) {

  public enum Status { RECOGNIZED, FAILED, SKIPPED }

  public ImageResult {
    warnings = List.copyOf(warnings);
  }

  /** A row without a thumbnail: read back from results.jsonl, or made before thumbnails. */
  public ImageResult(String directory, String image, Status status, String smiles,
      String canonicalSmiles, String inchiKey, boolean valid, double meanConfidence,
      double minConfidence, int tokens, boolean truncated, String errorKind, String error,
      long durationMillis, String modelId, List<String> warnings, String trust,
      String secondOpinion, String secondSmiles, String secondInchiKey, String agreement,
      String bestSmiles, String chosenFrom, long finishedAt) {
    this(directory, image, status, smiles, canonicalSmiles, inchiKey, valid, meanConfidence,
        minConfidence, tokens, truncated, errorKind, error, durationMillis, modelId, warnings,
        trust, secondOpinion, secondSmiles, secondInchiKey, agreement, bestSmiles, chosenFrom,
        finishedAt, "");
  }

  /** This row with {@code picture} ({@link decimerbeam.report.Thumbnail}) as its thumbnail. */
  public ImageResult withThumbnail(String picture) {
    return new ImageResult(directory, image, status, smiles, canonicalSmiles, inchiKey, valid,
        meanConfidence, minConfidence, tokens, truncated, errorKind, error, durationMillis,
        modelId, warnings, trust, secondOpinion, secondSmiles, secondInchiKey, agreement,
        bestSmiles, chosenFrom, finishedAt, picture);
  }

  /** A row without the structure checks: failed and skipped rows, and tests of the mechanics. */
  public ImageResult(String directory, String image, Status status, String smiles,
      String canonicalSmiles, String inchiKey, boolean valid, double meanConfidence,
      double minConfidence, int tokens, boolean truncated, String errorKind, String error,
      long durationMillis, String modelId) {
    this(directory, image, status, smiles, canonicalSmiles, inchiKey, valid, meanConfidence,
        minConfidence, tokens, truncated, errorKind, error, durationMillis, modelId, List.of(),
        "", "", "", "", "", "", "", 0L, "");
  }

  /** This row, made at {@code epochMillis}. */
  public ImageResult finishedAt(long epochMillis) {
    return new ImageResult(directory, image, status, smiles, canonicalSmiles, inchiKey, valid,
        meanConfidence, minConfidence, tokens, truncated, errorKind, error, durationMillis,
        modelId, warnings, trust, secondOpinion, secondSmiles, secondInchiKey, agreement,
        bestSmiles, chosenFrom, epochMillis, thumbnail);
  }

  public static ImageResult failed(String directory, String image, String kind, String message,
      long millis, String modelId) {
    return new ImageResult(directory, image, Status.FAILED, "", "", "", false, 0, 0, 0, false,
        kind, message, millis, modelId);
  }

  /**
   * The image could not be read from storage (after its retries): the row says nothing about
   * the image, so its directory is not finished while such a row stands.
   */
  public boolean unread() {
    return status == Status.FAILED && "READ_ERROR".equals(errorKind);
  }

  public static ImageResult skipped(String directory, String file, String reason) {
    return new ImageResult(directory, file, Status.SKIPPED, "", "", "", false, 0, 0, 0, false,
        "NOT_AN_IMAGE", reason, 0, "");
  }
}
