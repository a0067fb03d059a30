package decimerbeam.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ReviewDigest} in a directory's summary.json ({@code run.review}): a directory
 * finished while the run went on is summed up at the end from that file alone.
 */
public final class ReviewDigestJson {

  private ReviewDigestJson() {}

  public static void write(ReviewDigest d, ObjectNode into) {
    ArrayNode bins = into.putArray("confidenceBins");
    d.confidenceBins().forEach(bins::add);
    ObjectNode kinds = into.putObject("failuresByKind");
    new TreeMap<>(d.failuresByKind()).forEach(kinds::put);
    ObjectNode minutes = into.putObject("finishedPerMinute");
    new TreeMap<>(d.finishedPerMinute()).forEach((m, n) -> minutes.put(Long.toString(m), n));
    ArrayNode worst = into.putArray("worst");
    for (ReviewedRow r : d.worst()) {
      ObjectNode w = worst.addObject();
      w.put("image", r.image());
      w.put("smiles", r.smiles());
      w.put("meanConfidence", r.meanConfidence());
      w.put("trust", r.trust());
      ArrayNode codes = w.putArray("warnings");
      r.warnings().forEach(codes::add);
    }
  }

  /** The digest written by {@link #write}; an empty one where there is none (older files). */
  public static ReviewDigest read(JsonNode n) {
    if (!n.path("confidenceBins").isArray()
        || n.path("confidenceBins").size() != ReviewDigest.BINS) {
      return ReviewDigest.empty();
    }
    List<Integer> bins = new ArrayList<>();
    n.path("confidenceBins").forEach(b -> bins.add(b.asInt()));
    Map<String, Integer> kinds = new TreeMap<>();
    n.path("failuresByKind").fields()
        .forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asInt()));
    Map<Long, Integer> minutes = new TreeMap<>();
    n.path("finishedPerMinute").fields()
        .forEachRemaining(e -> minutes.put(Long.parseLong(e.getKey()), e.getValue().asInt()));
    List<ReviewedRow> worst = new ArrayList<>();
    for (JsonNode w : n.path("worst")) {
      List<String> codes = new ArrayList<>();
      w.path("warnings").forEach(c -> codes.add(c.asText()));
      worst.add(new ReviewedRow(w.path("image").asText(), w.path("smiles").asText(),
          w.path("meanConfidence").asDouble(), w.path("trust").asText(), codes));
    }
    return new ReviewDigest(bins, kinds, minutes, worst);
  }
}
