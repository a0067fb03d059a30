package decimerbeam.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} flags and positional arguments of the small subcommands. */
final class CommandLine {

  final Map<String, String> flags = new LinkedHashMap<>();
  final List<String> positional = new ArrayList<>();

  static CommandLine parse(String[] args, String... booleanFlags) {
    CommandLine cl = new CommandLine();
    List<String> bools = List.of(booleanFlags);
    for (String a : args) {
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
        if (eq < 0 && !bools.contains(name)) {
          throw new IllegalArgumentException("--" + name + " needs a value: --" + name + "=...");
        }
        cl.flags.put(name, eq < 0 ? "true" : a.substring(eq + 1));
      } else {
        cl.positional.add(a);
      }
    }
    return cl;
  }

  String get(String name, String fallback) {
    return flags.getOrDefault(name, fallback);
  }

  void rejectUnknown(String... known) {
    List<String> k = List.of(known);
    for (String name : flags.keySet()) {
      if (!k.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + k);
      }
    }
  }
}
