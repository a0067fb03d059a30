package decimerbeam.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The results.jsonl row format: one JSON object per image, fields in a fixed order. */
public final class ResultJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  /** Only staged rows carry it: results.jsonl stays a file of text a person can read. */
  private static final String THUMBNAIL = "thumbnail";

  private ResultJson() {}

  public static ObjectNode toJson(ImageResult r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("directory", r.directory());
    n.put("image", r.image());
    n.put("status", r.status().name());
    n.put("smiles", r.smiles());
    n.put("canonicalSmiles", r.canonicalSmiles());
    n.put("inchiKey", r.inchiKey());
    n.put("valid", r.valid());
    n.put("meanConfidence", r.meanConfidence());
    n.put("minConfidence", r.minConfidence());
    n.put("tokens", r.tokens());
    n.put("truncated", r.truncated());
    n.put("errorKind", r.errorKind());
    n.put("error", r.error());
    n.put("durationMs", r.durationMillis());
    n.put("modelId", r.modelId());
    ArrayNode warnings = n.putArray("warnings");
    r.warnings().forEach(warnings::add);
    n.put("trust", r.trust());
    n.put("secondOpinion", r.secondOpinion());
    n.put("secondSmiles", r.secondSmiles());
    n.put("secondInchiKey", r.secondInchiKey());
    n.put("agreement", r.agreement());
    n.put("bestSmiles", r.bestSmiles());
    n.put("chosenFrom", r.chosenFrom());
    n.put("finishedAt", r.finishedAt());
    return n;
  }

  public static ImageResult fromJson(JsonNode n) {
    return new ImageResult(n.path("directory").asText(), n.path("image").asText(),
        ImageResult.Status.valueOf(n.path("status").asText()), n.path("smiles").asText(),
        n.path("canonicalSmiles").asText(), n.path("inchiKey").asText(),
        n.path("valid").asBoolean(), n.path("meanConfidence").asDouble(),
        n.path("minConfidence").asDouble(), n.path("tokens").asInt(),
        n.path("truncated").asBoolean(), n.path("errorKind").asText(), n.path("error").asText(),
        n.path("durationMs").asLong(), n.path("modelId").asText(), warnings(n),
        n.path("trust").asText(), n.path("secondOpinion").asText(),
        n.path("secondSmiles").asText(), n.path("secondInchiKey").asText(),
        n.path("agreement").asText(), n.path("bestSmiles").asText(),
        n.path("chosenFrom").asText(), n.path("finishedAt").asLong(), n.path(THUMBNAIL).asText());
  }

  private static List<String> warnings(JsonNode n) {
    List<String> codes = new ArrayList<>();
    n.path("warnings").forEach(w -> codes.add(w.asText()));
    return codes;
  }

  public static String toLine(ImageResult r) {
    try {
      return MAPPER.writeValueAsString(toJson(r));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A staged row: the results.jsonl line plus the thumbnail, for the review page. */
  static String toStagedLine(ImageResult r) {
    ObjectNode n = toJson(r);
    if (!r.thumbnail().isEmpty()) {
      n.put(THUMBNAIL, r.thumbnail());
    }
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of results.jsonl or of a staged file. */
  public static List<ImageResult> readRows(String jsonl) {
    List<ImageResult> rows = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (!line.isBlank()) {
        try {
          rows.add(fromJson(MAPPER.readTree(line)));
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException("unreadable results row: " + line, e);
        }
      }
    }
    return rows;
  }
}
