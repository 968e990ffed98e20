package tally.support.cli;

import picocli.CommandLine.Option;

/**
 * {@code --secure}: start Tally's local Kafka (the demo's broker, the cluster's three) secured, the
 * way a production Kafka is: SASL_SSL with SCRAM-SHA-512, the authorizer denying by default, one
 * principal per role with only its least-privilege ACLs, and a client properties file per
 * principal. Each verb's help says what else it locks down.
 */
public class SecureOption {
  @Option(
      names = "--secure",
      description =
          "Secured: Kafka over SASL_SSL (SCRAM-SHA-512) with ACLs, deny by default; each role"
              + " (ledger, revenue, generator, auditor) connects as its own principal with only the"
              + " ACLs 'bin/tally acls' creates, from a client properties file written per"
              + " principal (mode 0600).")
  public boolean secure;
}
