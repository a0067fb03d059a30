package decimerbeam.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A finished directory's {@code summary.json}: what its results hold, what this run did to
 * them, and the listing they were written for. This record is the file's only reader and
 * writer; fields are written in the order declared here.
 *
 * @param changedSinceLastRun null when the listing is the one an earlier run finished
 * @param listedFiles every listed file with its size and version, as the listing writes them;
 *     null in files written before listings were recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectorySummary(String directory, String output, String modelId, int images,
    int recognized, int failed, int validSmiles, int truncated, double meanConfidence,
    Map<String, Integer> failuresByKind, int withWarnings, Map<String, Integer> warningsByCode,
    List<SkippedFile> skippedFiles, Timings timingsMs, boolean retriedFailures,
    String listingFingerprint, Changes changedSinceLastRun, ThisRun run, String writtenAt,
    JsonNode listedFiles) {

  public static final String FILE = "summary.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public DirectorySummary {
    failuresByKind = failuresByKind == null ? Map.of() : failuresByKind;
    warningsByCode = warningsByCode == null ? Map.of() : warningsByCode;
    skippedFiles = skippedFiles == null ? List.of() : skippedFiles;
    listingFingerprint = listingFingerprint == null ? "" : listingFingerprint;
  }

  /** A file that is no image, with why it was skipped. */
  public record SkippedFile(String name, String reason) {}

  /** Recognition times of the directory's rows, in milliseconds. */
  public record Timings(long total, long meanPerImage, long maxPerImage) {}

  /** Files added, changed and removed since the listing an earlier run finished. */
  public record Changes(int added, int changed, int removed) {}

  /**
   * What the run that wrote the file did: images it recognised, rows it reused, and the
   * review digest the run's report is summed from.
   *
   * @param review the {@link ReviewDigest} as {@link ReviewDigestJson} writes it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ThisRun(String id, String model, int images, int recognized, int failed,
      int skippedFiles, int reused, long millis, int withWarnings,
      Map<String, Integer> warningsByCode, JsonNode review) {

    public ThisRun {
      warningsByCode = warningsByCode == null ? Map.of() : warningsByCode;
    }

    /** The review digest; an empty one where the file has none. */
    public ReviewDigest reviewDigest() {
      return ReviewDigestJson.read(review == null ? JSON.createObjectNode() : review);
    }
  }

  /** The digest in the form {@link ThisRun#review} holds. */
  public static JsonNode reviewJson(ReviewDigest digest) {
    var node = JSON.createObjectNode();
    ReviewDigestJson.write(digest, node);
    return node;
  }

  public static DirectorySummary read(byte[] json) throws IOException {
    return JSON.readValue(json, DirectorySummary.class);
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }
}
