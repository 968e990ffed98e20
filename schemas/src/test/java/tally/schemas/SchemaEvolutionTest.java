package tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tally.schemas.state.AccountState;

/**
 * Every released version of each schema can read data written with every other version (full
 * transitive compatibility), and the generated class is the newest version.
 */
class SchemaEvolutionTest {

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("Transaction", Transaction.class),
        Arguments.of("BalanceUpdate", BalanceUpdate.class),
        Arguments.of("OverdraftAlert", OverdraftAlert.class),
        Arguments.of("MerchantRevenue", MerchantRevenue.class),
        Arguments.of("AccountState", AccountState.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void everyVersionReadsEveryOther(String record, Class<?> generated) throws IOException {
    List<Schema> versions = versionsOf(record);
    assertThat(versions).isNotEmpty();
    for (Schema reader : versions) {
      for (Schema writer : versions) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
            .as("%s: reader %s / writer %s: %s", record, reader, writer, result.getDescription())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void generatedClassIsTheNewestVersion(String record, Class<?> generated) throws IOException {
    List<Schema> versions = versionsOf(record);
    // Parsing canonical form: what the single-object fingerprint covers (the generated schema
    // carries extra avro.java.string properties).
    assertThat(SchemaNormalization.toParsingForm(SpecificData.get().getSchema(generated)))
        .isEqualTo(SchemaNormalization.toParsingForm(versions.get(versions.size() - 1)));
  }

  @Test
  void anIncompatibleChangeIsRejected() throws IOException {
    Schema incompatible = parse("incompatible/Transaction.avsc");
    for (Schema released : versionsOf("Transaction")) {
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(incompatible, released).getType())
          .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(released, incompatible).getType())
          .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
  }

  /** Versions as shipped in the jar: tally/schemas/<Record>/v1.avsc, v2.avsc, ... */
  static List<Schema> versionsOf(String record) throws IOException {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = "tally/schemas/" + record + "/v" + v + ".avsc";
      if (SchemaEvolutionTest.class.getClassLoader().getResource(path) == null) {
        return versions;
      }
      versions.add(parse(path));
    }
  }

  private static Schema parse(String resource) throws IOException {
    try (InputStream in =
        SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    }
  }
}
