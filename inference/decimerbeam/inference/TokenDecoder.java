package decimerbeam.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token ids to SMILES, as DECIMER's {@code detokenize_output} and {@code utils.decoder} do:
 * concatenate, drop {@code <start>}/{@code <end>}, then map the placeholder characters that stand
 * for label digits back to digits (so {@code <pad>} comes out as {@code 4pad5}, like Python).
 */
final class TokenDecoder {

  private static final String START = "<start>";
  private static final String END = "<end>";
  private static final String[][] PLACEHOLDERS = {
    {"!", "1"}, {"$", "2"}, {"^", "3"}, {"<", "4"}, {">", "5"},
    {"?", "6"}, {"£", "7"}, {"¢", "8"}, {"€", "9"}, {"§", "0"}
  };

  private final Map<Integer, String> indexWord;
  private final int endId;

  TokenDecoder(Map<Integer, String> indexWord) {
    this.indexWord = Map.copyOf(indexWord);
    this.endId = indexWord.entrySet().stream().filter(e -> e.getValue().equals(END))
        .mapToInt(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("token map has no " + END + " token"));
  }

  /** Reads the id → token JSON object written by model preparation. */
  static TokenDecoder fromJson(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<Integer, String> map = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(Integer.parseInt(e.getKey()), e.getValue().asText());
    }
    return new TokenDecoder(map);
  }

  /** Thrown for an id the vocabulary does not hold (Python raises KeyError). */
  static final class UnknownTokenException extends Exception {
    UnknownTokenException(int id) {
      super("model produced token id " + id + ", which the vocabulary does not hold");
    }
  }

  String smiles(int[] tokens) throws UnknownTokenException {
    StringBuilder joined = new StringBuilder();
    for (int id : tokens) {
      joined.append(word(id));
    }
    String s = joined.toString().replace(START, "").replace(END, "");
    return mapPlaceholders(s);
  }

  static String mapPlaceholders(String s) {
    for (String[] p : PLACEHOLDERS) {
      s = s.replace(p[0], p[1]);
    }
    return s;
  }

  /** Decoding stopped at the step limit when the model never emitted {@code <end>}. */
  boolean truncated(int[] tokens) {
    for (int id : tokens) {
      if (id == endId) {
        return false;
      }
    }
    return true;
  }

  private String word(int id) throws UnknownTokenException {
    String w = indexWord.get(id);
    if (w == null) {
      throw new UnknownTokenException(id);
    }
    return w;
  }
}
