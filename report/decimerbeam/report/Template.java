package decimerbeam.report;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A page template's {@code %NAME%} slots filled in one pass: no value is read as a slot. */
final class Template {

  private static final Pattern SLOT = Pattern.compile("%([A-Z_]+)%");

  private Template() {}

  static String fill(String template, Map<String, String> values) {
    Matcher m = SLOT.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 1024);
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for %" + m.group(1) + "%");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
