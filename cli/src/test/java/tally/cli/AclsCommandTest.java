package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tally acls --dry-run}: the table of least-privilege ACLs, no Kafka needed. */
class AclsCommandTest {

  private static String dryRun(String... options) {
    StringWriter out = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    String[] args = new String[options.length + 2];
    args[0] = "acls";
    args[1] = "--dry-run";
    System.arraycopy(options, 0, args, 2, options.length);
    assertThat(cli.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void printsEveryRolesAclsAsATable() {
    String table = dryRun();
    assertThat(table.lines().findFirst().orElseThrow())
        .startsWith("principal")
        .contains("operation", "resource", "pattern", "name", "why");
    assertThat(table)
        .containsPattern("User:ledger +READ +Topic +LITERAL +tally\\.transactions ")
        .containsPattern("User:ledger +READ +Group +LITERAL +tally-ledger ")
        .containsPattern("User:ledger +WRITE +Topic +LITERAL +tally\\.balances ")
        .containsPattern("User:ledger +WRITE +TransactionalId +PREFIXED +tally-ledger ")
        .containsPattern("User:revenue +READ +Topic +LITERAL +tally\\.balances ")
        .containsPattern("User:revenue +WRITE +TransactionalId +PREFIXED +tally-revenue ")
        .containsPattern("User:generator +WRITE +Topic +LITERAL +tally\\.transactions ")
        .containsPattern("User:auditor +READ +Topic +LITERAL +tally\\.revenue-late ")
        .doesNotContainPattern("User:\\S+ +IDEMPOTENT_WRITE")
        .contains("(dry run: nothing created)");
    // The auditor assigns partitions itself: no group, and it writes nothing.
    assertThat(table.lines().filter(line -> line.startsWith("User:auditor")))
        .allSatisfy(line -> assertThat(line).contains(" READ ").contains(" Topic "));
    assertThat(table.lines().filter(line -> line.startsWith("User:generator"))).hasSize(1);
  }

  @Test
  void takesPrincipalsTopicsAndJobNames() {
    String table =
        dryRun(
            "--ledger-principal",
            "User:payments-ledger",
            "--ledger-job-name",
            "ledger-eu",
            "--input-topic",
            "eu.transactions");
    assertThat(table)
        .containsPattern("User:payments-ledger +READ +Topic +LITERAL +eu\\.transactions ")
        .containsPattern("User:payments-ledger +READ +Group +LITERAL +ledger-eu ")
        .containsPattern("User:payments-ledger +WRITE +TransactionalId +PREFIXED +ledger-eu ")
        .containsPattern("User:generator +WRITE +Topic +LITERAL +eu\\.transactions ")
        .doesNotContain("User:ledger ");
  }
}
