package decimerbeam.tools;

import java.util.Locale;

/**
 * What an Azure Blob Storage REST request does, told from its method and query alone, so the
 * proxy can count and fault each kind on its own.
 */
public enum StorageRequestKind {
  /** List Blobs / List Containers ({@code comp=list}). */
  LIST,
  /** Get Blob: the content of one blob. */
  READ,
  /** HEAD or a GET of properties/metadata: existence checks. */
  PROPERTIES,
  /** Any PUT: Put Blob, Put Block, Put Block List, Create Container. */
  WRITE,
  DELETE,
  OTHER;

  /** The kind of a request with this method and (raw, still encoded) target. */
  public static StorageRequestKind of(String method, String target) {
    int q = target.indexOf('?');
    String query = q < 0 ? "" : "&" + target.substring(q + 1).toLowerCase(Locale.ROOT) + "&";
    String m = method.toUpperCase(Locale.ROOT);
    if (query.contains("&comp=list&")) {
      return LIST;
    }
    switch (m) {
      case "HEAD":
        return PROPERTIES;
      case "GET":
        // Container properties (restype=container), blob properties and metadata.
        return query.contains("&comp=") || query.contains("&restype=") ? PROPERTIES : READ;
      case "PUT":
        return WRITE;
      case "DELETE":
        return DELETE;
      default:
        return OTHER;
    }
  }
}
