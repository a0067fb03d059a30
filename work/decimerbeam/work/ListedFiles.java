package decimerbeam.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory's listing as JSON, {@code [{"name", "size", "version"}]} sorted by name: what
 * summary.json records of the files it was written for, so a later run can tell which files
 * were added, changed or removed since.
 */
public final class ListedFiles {

  private ListedFiles() {}

  public static ArrayNode toJson(List<FileEntry> files) {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::name));
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (FileEntry f : sorted) {
      a.addObject().put("name", f.name()).put("size", f.size()).put("version", f.version());
    }
    return a;
  }

  /** The files of {@code json}, located in {@code directory}. */
  public static List<FileEntry> fromJson(JsonNode json, Location directory) {
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode n : json) {
      String name = n.path("name").asText();
      files.add(new FileEntry(name, directory.resolve(name), n.path("size").asLong(-1),
          n.path("version").asText()));
    }
    return files;
  }
}
