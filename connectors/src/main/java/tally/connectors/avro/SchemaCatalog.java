package tally.connectors.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a Tally record schema, as shipped by the {@code schemas} module at
 * {@code tally/schemas/<Record>/v<N>.avsc}. Versions are numbered from 1 without gaps, so the
 * catalog finds them by probing v1, v2, ... until one is missing.
 */
public final class SchemaCatalog {

  private static final String ROOT = "tally/schemas/";

  private SchemaCatalog() {}

  /** All versions of {@code recordName} (e.g. "Transaction"), oldest first. */
  public static List<Schema> versionsOf(String recordName) {
    ClassLoader loader = SchemaCatalog.class.getClassLoader();
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = ROOT + recordName + "/v" + version + ".avsc";
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          break;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read schema resource " + resource, e);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(
          "No schema versions found for record '" + recordName + "' under " + ROOT);
    }
    return List.copyOf(versions);
  }

  /** The newest version of {@code recordName}. */
  public static Schema latestOf(String recordName) {
    List<Schema> versions = versionsOf(recordName);
    return versions.get(versions.size() - 1);
  }
}
