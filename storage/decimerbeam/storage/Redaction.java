package decimerbeam.storage;

import java.util.regex.Pattern;

/** Strips secrets (SAS signatures, account keys) out of text that may reach logs or results. */
public final class Redaction {

  private static final Pattern QUERY = Pattern.compile("(https?://[^\\s?\"']+)\\?[^\\s\"']*");
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(AccountKey|SharedAccessSignature|sig|accessKey|sasToken)=[^;&\\s\"']+");

  private Redaction() {}

  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    String t = QUERY.matcher(text).replaceAll("$1?<redacted>");
    return KEY_VALUE.matcher(t).replaceAll("$1=<redacted>");
  }
}
