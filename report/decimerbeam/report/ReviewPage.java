package decimerbeam.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A directory's review.html and its picture chunks. The page holds the light table data of
 * every row inline (about 200 bytes a row); thumbnails and drawings live in
 * {@code _review/page-NNNN.js} files of at most {@value #ROWS_PER_CHUNK} rows and
 * {@value #MAX_CHUNK_BYTES} bytes, which the page loads only for the rows on screen by adding
 * {@code <script>} tags: that works from a file:// URL and from blob storage, with no server.
 */
public final class ReviewPage {

  public static final String FILE = "review.html";
  public static final String CHUNK_FOLDER = "_review";
  public static final int ROWS_PER_CHUNK = 100;
  /** A chunk closes before a row would take it over this; one row is far smaller. */
  public static final int MAX_CHUNK_BYTES = 2 << 20;
  /** Longer SMILES and error messages are cut on the page (results.jsonl has them whole). */
  static final int MAX_TEXT = 300;
  /** DECIMER's k-best candidates drawn per row, best first; the rest are left off the page. */
  public static final int MAX_ALTERNATIVES = 5;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = template("review.html");

  private ReviewPage() {}

  /** The files of the page, relative to the directory's output, review.html last. */
  public static Map<String, byte[]> render(String directory, List<ReviewEntry> rows,
      StructureDepiction depictions) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    ArrayNode table = JSON.createArrayNode();
    List<String> chunk = new ArrayList<>();
    int chunkBytes = 0;
    int chunkNo = 1;
    for (int i = 0; i < rows.size(); i++) {
      ReviewEntry r = rows.get(i);
      String item = mediaItem(i, r, depictions);
      if (!chunk.isEmpty() && (chunk.size() == ROWS_PER_CHUNK
          || chunkBytes + item.length() + 64 > MAX_CHUNK_BYTES)) {
        files.put(chunkName(chunkNo), chunkFile(chunkNo, chunk));
        chunkNo++;
        chunk.clear();
        chunkBytes = 0;
      }
      chunk.add(item);
      chunkBytes += item.length() + 1;
      table.add(tableRow(r, chunkNo));
    }
    if (!chunk.isEmpty()) {
      files.put(chunkName(chunkNo), chunkFile(chunkNo, chunk));
    }
    String page = Template.fill(TEMPLATE, Map.of("TITLE", Html.text(directory),
        "CHUNK_FOLDER", CHUNK_FOLDER, "ROWS", Html.scriptJson(toJson(table))));
    files.put(FILE, page.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** {@code _review/page-0001.js} for chunk 1. */
  public static String chunkName(int chunk) {
    return String.format(Locale.ROOT, "%s/page-%04d.js", CHUNK_FOLDER, chunk);
  }

  private static ObjectNode tableRow(ReviewEntry r, int chunk) {
    ObjectNode n = JSON.createObjectNode();
    n.put("n", r.image());
    n.put("s", r.status());
    n.put("m", cut(r.smiles()));
    n.put("c", round(r.meanConfidence()));
    n.put("q", round(r.minConfidence()));
    ArrayNode w = n.putArray("w");
    r.warnings().forEach(w::add);
    n.put("t", r.trust());
    if (!r.errorKind().isEmpty()) {
      n.put("e", cut(r.errorKind() + (r.error().isEmpty() ? "" : ": " + r.error())));
    }
    if (!r.agreement().isEmpty()) {
      n.put("a", r.agreement());
      n.put("m2", cut(r.secondSmiles()));
    }
    if (!r.answer().equals(r.smiles())) {
      n.put("b", cut(r.answer()));
    }
    if (!r.chosenFrom().isEmpty()) {
      n.put("f", r.chosenFrom());
    }
    r.estimatedPrecision().ifPresent(p -> n.put("p", round(p)));
    n.put("k", chunk);
    return n;
  }

  /**
   * {@code [row, thumbnail, DECIMER's drawing, MolVec's drawing, the answer's drawing,
   * candidates]}, "" where there is none. MolVec's is drawn only where the readers disagree
   * ({@link ReviewEntry#disagrees()}). The answer's drawing is 2 or 3 when it is DECIMER's or
   * MolVec's (the item's slot to show), so no drawing is sent twice; candidates are {@code
   * [SMILES, drawing or slot]}, at most {@value #MAX_ALTERNATIVES}.
   */
  private static String mediaItem(int index, ReviewEntry r, StructureDepiction depictions) {
    ArrayNode item = JSON.createArrayNode();
    item.add(index);
    item.add(r.thumbnail());
    boolean recognized = r.status().equals("RECOGNIZED");
    boolean both = recognized && r.disagrees();
    item.add(recognized ? depictions.of(r.smiles()).orElse("") : "");
    item.add(both ? depictions.of(r.secondSmiles()).orElse("") : "");
    if (recognized) {
      addDrawing(item, r.answer(), r, both, depictions);
    } else {
      item.add("");
    }
    ArrayNode candidates = item.addArray();
    if (recognized) {
      for (String smiles : r.alternatives().subList(0,
          Math.min(MAX_ALTERNATIVES, r.alternatives().size()))) {
        ArrayNode candidate = candidates.addArray();
        candidate.add(cut(smiles));
        addDrawing(candidate, smiles, r, both, depictions);
      }
    }
    return Html.scriptJson(toJson(item));
  }

  /** The slot already holding the drawing of {@code smiles}, else its drawing. */
  private static void addDrawing(ArrayNode to, String smiles, ReviewEntry r, boolean both,
      StructureDepiction depictions) {
    if (smiles.equals(r.smiles())) {
      to.add(2);
    } else if (both && smiles.equals(r.secondSmiles())) {
      to.add(3);
    } else {
      to.add(depictions.of(smiles).orElse(""));
    }
  }

  private static byte[] chunkFile(int chunk, List<String> items) {
    return ("decimerReview(" + chunk + ",[\n" + String.join(",\n", items) + "\n]);\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  private static double round(double confidence) {
    return Math.round(confidence * 1000) / 1000.0;
  }

  private static String toJson(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A page template from this package's resources. */
  static String template(String name) {
    try (InputStream in = ReviewPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("template " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
