package tally.kafka.local;

import java.util.List;

/**
 * How clients reach the embedded broker: {@link #PLAINTEXT} (default), or one of two secured modes
 * in which the only listener clients can use is TLS-encrypted and every client is authenticated and
 * authorized by ACLs.
 *
 * <p>In both secured modes the broker generates, at start-up and into its work dir, a CA, a broker
 * certificate (SAN {@code DNS:localhost}, {@code IP:127.0.0.1}) and a PKCS12 truststore with the
 * CA, and writes a ready client properties file per principal ({@code
 * clients/<principal>.properties}, mode 0600). See {@link EmbeddedKafkaBroker} for the settings and
 * why each is there.
 */
public enum BrokerSecurity {

  /** One PLAINTEXT listener, no authentication, no authorizer: the broker as it always was. */
  PLAINTEXT("PLAINTEXT", "PLAINTEXT"),

  /**
   * Listener {@code SASL_SSL}: TLS for encryption and server authentication, SCRAM-SHA-512 for
   * client authentication. The principals' SCRAM credentials are written into the metadata log when
   * the storage is formatted; their passwords are random per start.
   */
  SASL_SSL_SCRAM("SASL_SSL", "SASL_SSL"),

  /**
   * Listener {@code SSL} with {@code ssl.client.auth=required}: each principal has a client
   * certificate signed by the broker's CA, and the principal is the certificate's CN ({@code
   * CN=ledger} is {@code User:ledger}).
   */
  MUTUAL_TLS("SSL", "SSL");

  /** The super user: creates topics and ACLs. Always among the principals of a secured broker. */
  public static final String ADMIN = "admin";

  /** Tally's principals: the admin, the two jobs, the load generator and a read-only auditor. */
  public static final List<String> DEFAULT_PRINCIPALS =
      List.of(ADMIN, "ledger", "revenue", "generator", "auditor");

  /**
   * The broker's own principal ({@code User:broker}): its certificate's CN on the controller
   * listener and, with SCRAM, its SCRAM user for inter-broker traffic. A super user, so it cannot
   * be one of the client principals.
   */
  static final String BROKER_PRINCIPAL = "broker";

  private final String listenerName;
  private final String securityProtocol;

  BrokerSecurity(String listenerName, String securityProtocol) {
    this.listenerName = listenerName;
    this.securityProtocol = securityProtocol;
  }

  public boolean isSecured() {
    return this != PLAINTEXT;
  }

  /** The clients' {@code security.protocol}: PLAINTEXT, SASL_SSL or SSL. */
  public String securityProtocol() {
    return securityProtocol;
  }

  /** Name of the broker's client listener in {@code listeners}. */
  String listenerName() {
    return listenerName;
  }
}
